package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"golang.org/x/mod/module"
	"golang.org/x/mod/sumdb/dirhash"
	modzip "golang.org/x/mod/zip"
)

// runMkmod writes DIR as module PATH@VERSION into a file GOPROXY tree with x/mod's own zip
// code, and prints its two go.sum lines.
func runMkmod(args []string) error {
	if len(args) != 4 {
		return fmt.Errorf("usage: mkmod DIR PATH VERSION PROXYDIR")
	}
	dir, path, vers, proxy := args[0], args[1], args[2], args[3]
	epath, err := module.EscapePath(path)
	if err != nil {
		return err
	}
	evers, err := module.EscapeVersion(vers)
	if err != nil {
		return err
	}
	base := filepath.Join(proxy, filepath.FromSlash(epath), "@v")
	if err := os.MkdirAll(base, 0o777); err != nil {
		return err
	}
	zipFile := filepath.Join(base, evers+".zip")
	f, err := os.Create(zipFile)
	if err != nil {
		return err
	}
	if err := modzip.CreateFromDir(f, module.Version{Path: path, Version: vers}, dir); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	gomod, err := os.ReadFile(filepath.Join(dir, "go.mod"))
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(base, evers+".mod"), gomod, 0o666); err != nil {
		return err
	}
	info := fmt.Sprintf("{\"Version\":%q,\"Time\":\"2024-01-01T00:00:00Z\"}\n", vers)
	if err := os.WriteFile(filepath.Join(base, evers+".info"), []byte(info), 0o666); err != nil {
		return err
	}
	list := filepath.Join(base, "list")
	lf, err := os.OpenFile(list, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o666)
	if err != nil {
		return err
	}
	fmt.Fprintln(lf, vers)
	lf.Close()
	zh, err := dirhash.HashZip(zipFile, dirhash.Hash1)
	if err != nil {
		return err
	}
	mh, err := dirhash.Hash1([]string{"go.mod"}, func(string) (io.ReadCloser, error) {
		return os.Open(filepath.Join(dir, "go.mod"))
	})
	if err != nil {
		return err
	}
	fmt.Printf("%s %s %s\n%s %s/go.mod %s\n", path, vers, zh, path, vers, mh)
	return nil
}
