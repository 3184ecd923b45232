package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"golang.org/x/mod/sumdb"
)

// clientOps is a sumdb.ClientOps over HTTP and a directory, counting tile requests.
type clientOps struct {
	key, url, dir string
	mu            sync.Mutex
	full, partial int
}

func (o *clientOps) ReadRemote(path string) ([]byte, error) {
	if strings.HasPrefix(path, "/tile/") {
		o.mu.Lock()
		if strings.Contains(path, ".p/") {
			o.partial++
		} else {
			o.full++
		}
		o.mu.Unlock()
	}
	resp, err := http.Get(o.url + path)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != 200 {
		return nil, fmt.Errorf("GET %s: %s", path, resp.Status)
	}
	return data, nil
}

func (o *clientOps) ReadConfig(file string) ([]byte, error) {
	if file == "key" {
		return []byte(o.key), nil
	}
	data, err := os.ReadFile(filepath.Join(o.dir, "config", filepath.FromSlash(file)))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	return data, err
}

func (o *clientOps) WriteConfig(file string, old, new []byte) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	cur, err := o.ReadConfig(file)
	if err != nil {
		return err
	}
	if string(cur) != string(old) {
		return sumdb.ErrWriteConflict
	}
	p := filepath.Join(o.dir, "config", filepath.FromSlash(file))
	os.MkdirAll(filepath.Dir(p), 0o777)
	return os.WriteFile(p, new, 0o666)
}

func (o *clientOps) ReadCache(file string) ([]byte, error) {
	return os.ReadFile(filepath.Join(o.dir, "cache", filepath.FromSlash(file)))
}

func (o *clientOps) WriteCache(file string, data []byte) {
	p := filepath.Join(o.dir, "cache", filepath.FromSlash(file))
	os.MkdirAll(filepath.Dir(p), 0o777)
	os.WriteFile(p, data, 0o666)
}

func (o *clientOps) Log(msg string)           { fmt.Fprintln(os.Stderr, msg) }
func (o *clientOps) SecurityError(msg string) { fmt.Fprintln(os.Stderr, msg) }

// runClient looks up "path version" lines from stdin, in parallel (as go mod download does).
func runClient(args []string) error {
	if len(args) != 3 {
		return fmt.Errorf("usage: client KEY URL DIR")
	}
	ops := &clientOps{key: args[0], url: strings.TrimSuffix(args[1], "/"), dir: args[2]}
	c := sumdb.NewClient(ops)
	var queries [][2]string
	sc := bufio.NewScanner(os.Stdin)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) == 2 {
			queries = append(queries, [2]string{f[0], f[1]})
		}
	}
	out := make([]string, len(queries))
	var wg sync.WaitGroup
	sem := make(chan bool, 16)
	start := time.Now()
	for i, q := range queries {
		wg.Add(1)
		sem <- true
		go func(i int, path, vers string) {
			defer wg.Done()
			defer func() { <-sem }()
			lines, err := c.Lookup(path, vers)
			if err != nil {
				out[i] = "ERROR " + strings.ReplaceAll(err.Error(), "\n", " | ")
				return
			}
			out[i] = "OK " + strings.Join(lines, " | ")
		}(i, q[0], q[1])
	}
	wg.Wait()
	for _, line := range out {
		fmt.Println(line)
	}
	fmt.Printf("STATS tiles=%d full=%d partial=%d lookups=%d ms=%d\n",
		ops.full+ops.partial, ops.full, ops.partial, len(queries), time.Since(start).Milliseconds())
	return nil
}
