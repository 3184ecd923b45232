// Command gohelper is the Go referee for modguard's sumdb interop tests and benchmark.
// It is built in GOPATH mode against Debian's golang.org/x/mod (v0.7.0):
//
//	gohelper server NAME            x/mod sumdb.NewServer over sumdb.NewTestServer on 127.0.0.1;
//	                                prints "KEY <verifier key>" and "URL <base>", serves until stdin closes
//	gohelper client KEY URL DIR     x/mod sumdb.Client against URL with its cache and config in DIR;
//	                                reads "path version" lines on stdin, prints each record's lines
//	                                (or "ERROR ..." ), then "STATS tiles=N full=N partial=N lookups=N"
//	gohelper mkmod DIR PATH VERSION PROXYDIR
//	                                x/mod zip.CreateFromDir into a file GOPROXY tree; prints the
//	                                two go.sum lines (dirhash.HashZip and the go.mod hash)
package main

import (
	"bufio"
	"fmt"
	"os"
)

func main() {
	if len(os.Args) < 2 {
		fail("usage: gohelper server|client|mkmod ...")
	}
	var err error
	switch os.Args[1] {
	case "server":
		err = runServer(os.Args[2:])
	case "client":
		err = runClient(os.Args[2:])
	case "mkmod":
		err = runMkmod(os.Args[2:])
	default:
		err = fmt.Errorf("unknown command %q", os.Args[1])
	}
	if err != nil {
		fail(err.Error())
	}
}

func fail(msg string) {
	fmt.Fprintln(os.Stderr, "gohelper:", msg)
	os.Exit(2)
}

// waitStdin blocks until stdin is closed, so the parent controls the server's lifetime.
func waitStdin() {
	r := bufio.NewReader(os.Stdin)
	for {
		if _, err := r.ReadByte(); err != nil {
			return
		}
	}
}
