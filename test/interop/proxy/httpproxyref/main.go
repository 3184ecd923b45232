// Command httpproxyref answers, for the proxy environment it runs in, which proxy
// net/http.ProxyFromEnvironment chooses for each request URL: the go command's choice
// (golang.org/x/net/http/httpproxy, vendored in Go 1.19), so modguard's port
// (src/go/httpproxy.ts) can be checked case by case. ProxyFromEnvironment reads the
// environment once per process: one process answers for one environment.
//
// Input (stdin): one request URL per line.
// Output (stdout): one line per input line, tab-separated:
//
//	direct
//	error                                  (ProxyFromEnvironment returned an error)
//	badurl                                 (url.Parse refused the line)
//	proxy SCHEME HOSTNAME PORT AUTH        (HOSTNAME %q-quoted; PORT with the scheme's
//	                                        default as the transport dials it; AUTH the
//	                                        Proxy-Authorization value, or -)
//
// Build: GOFLAGS=-mod=mod GOTOOLCHAIN=local GOPROXY=off go build -o $tmp/httpproxyref main.go
package main

import (
	"bufio"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strconv"
)

// defaultPorts is net/http's portMap (transport.go), which canonicalAddr uses to dial.
var defaultPorts = map[string]string{"http": "80", "https": "443", "socks5": "1080"}

func main() {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 1<<20)
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	for in.Scan() {
		fmt.Fprintln(out, answer(in.Text()))
	}
	if err := in.Err(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func answer(line string) string {
	u, err := url.Parse(line)
	if err != nil {
		return "badurl"
	}
	p, err := http.ProxyFromEnvironment(&http.Request{URL: u})
	if err != nil {
		return "error"
	}
	if p == nil {
		return "direct"
	}
	port := p.Port()
	if port == "" {
		port = defaultPorts[p.Scheme]
	}
	auth := "-"
	if p.User != nil {
		password, _ := p.User.Password()
		auth = "Basic " + base64.StdEncoding.EncodeToString([]byte(p.User.Username()+":"+password))
	}
	return fmt.Sprintf("proxy\t%s\t%s\t%s\t%s", p.Scheme, strconv.Quote(p.Hostname()), port, auth)
}
