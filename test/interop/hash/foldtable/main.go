// Command foldtable prints Go's simple case folding (the strToFold mapping of
// golang.org/x/mod/zip/zip.go) as runs "start,count,stride,delta" on one line
// each: for i < count, rune start+i*stride folds to start+i*stride+delta.
// modguard's src/go/fold.ts holds the same runs; the interop test compares them.
package main

import (
	"fmt"
	"unicode"
)

func fold(r rune) rune {
	for {
		r0 := r
		r = unicode.SimpleFold(r0)
		if r <= r0 {
			break
		}
	}
	if 'A' <= r && r <= 'Z' {
		r += 'a' - 'A'
	}
	return r
}

func main() {
	fmt.Printf("# unicode %s\n", unicode.Version)
	type pair struct{ r, d rune }
	var ps []pair
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if f := fold(r); f != r {
			ps = append(ps, pair{r, f - r})
		}
	}
	for i := 0; i < len(ps); {
		start, d := ps[i].r, ps[i].d
		stride, n := rune(1), 1
		if i+1 < len(ps) && ps[i+1].d == d {
			stride = ps[i+1].r - start
		}
		for i+n < len(ps) && ps[i+n].d == d && ps[i+n].r == start+rune(n)*stride {
			n++
		}
		if n == 1 {
			stride = 1
		}
		fmt.Printf("%d,%d,%d,%d\n", start, n, stride, d)
		i += n
	}
}
