// Command refhash is modguard's Go referee for module hashing, built in GOPATH mode
// against Debian's golang.org/x/mod (v0.7.0). Each line of output is one answer.
//
//	refhash hashzip ZIP...                 dirhash.HashZip of each zip
//	refhash createfromdir PATH VERSION DIR OUT
//	                                       zip.CreateFromDir into OUT, then HashZip(OUT)
//	refhash hashgomod FILE                 dirhash.Hash1(["go.mod"]) of FILE
//	refhash checkzip PATH VERSION ZIP      zip.CheckZip: "ok" or the error
package main

import (
	"fmt"
	"io"
	"io/ioutil"
	"os"
	"strings"

	"golang.org/x/mod/module"
	"golang.org/x/mod/sumdb/dirhash"
	modzip "golang.org/x/mod/zip"
)

func main() {
	if len(os.Args) < 2 {
		fail("usage: refhash hashzip|createfromdir|hashgomod|checkzip ...")
	}
	switch os.Args[1] {
	case "hashzip":
		for _, f := range os.Args[2:] {
			h, err := dirhash.HashZip(f, dirhash.Hash1)
			if err != nil {
				fmt.Printf("error: %v\n", oneLine(err))
				continue
			}
			fmt.Println(h)
		}
	case "createfromdir":
		a := os.Args[2:]
		out, err := os.Create(a[3])
		check(err)
		if err := modzip.CreateFromDir(out, module.Version{Path: a[0], Version: a[1]}, a[2]); err != nil {
			fmt.Printf("error: %v\n", oneLine(err))
			return
		}
		check(out.Close())
		h, err := dirhash.HashZip(a[3], dirhash.Hash1)
		check(err)
		fmt.Println(h)
	case "hashgomod":
		data, err := ioutil.ReadFile(os.Args[2])
		check(err)
		h, err := dirhash.Hash1([]string{"go.mod"}, func(string) (io.ReadCloser, error) {
			return ioutil.NopCloser(strings.NewReader(string(data))), nil
		})
		check(err)
		fmt.Println(h)
	case "checkzip":
		a := os.Args[2:]
		if _, err := modzip.CheckZip(module.Version{Path: a[0], Version: a[1]}, a[2]); err != nil {
			fmt.Printf("error: %v\n", oneLine(err))
			return
		}
		fmt.Println("ok")
	default:
		fail("unknown command " + os.Args[1])
	}
}

func oneLine(err error) string { return strings.ReplaceAll(err.Error(), "\n", "; ") }

func check(err error) {
	if err != nil {
		fail(err.Error())
	}
}

func fail(msg string) {
	fmt.Fprintln(os.Stderr, msg)
	os.Exit(2)
}
