package main

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"net"
	"net/http"

	"golang.org/x/mod/sumdb"
	"golang.org/x/mod/sumdb/note"
)

// runServer serves a checksum database made by the Go team's own server code. Records are
// invented on first lookup (as sumdb.NewTestServer does): two go.sum lines whose hashes are
// derived from path@version, so the test can predict them.
func runServer(args []string) error {
	if len(args) != 1 {
		return fmt.Errorf("usage: server NAME")
	}
	skey, vkey, err := note.GenerateKey(rand.Reader, args[0])
	if err != nil {
		return err
	}
	gosum := func(path, vers string) ([]byte, error) {
		return []byte(fmt.Sprintf("%s %s %s\n%s %s/go.mod %s\n",
			path, vers, fakeHash("zip "+path+"@"+vers), path, vers, fakeHash("mod "+path+"@"+vers))), nil
	}
	srv := sumdb.NewServer(sumdb.NewTestServer(skey, gosum))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	fmt.Printf("KEY %s\nURL http://%s\n", vkey, ln.Addr())
	go http.Serve(ln, srv)
	waitStdin()
	return nil
}

// fakeHash is "h1:" + base64(SHA256(s)), the shape of a real go.sum hash.
func fakeHash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return "h1:" + base64.StdEncoding.EncodeToString(sum[:])
}
