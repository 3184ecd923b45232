// Command xmodref answers questions about Go module vocabulary with golang.org/x/mod
// itself, so modguard's TypeScript port can be checked case by case.
//
// Input (stdin): a JSON array of cases {"op": "...", "a": "...", "b": "..."}.
// Output (stdout): a JSON array of answers {"ok": bool, "out": string, "n": int}, one per case.
//
// Build in GOPATH mode against Debian's x/mod:
//
//	GO111MODULE=off GOPATH=/usr/share/gocode:$tmp go build -o $tmp/xmodref ./test/interop/go/xmodref
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path"
	"sort"
	"strings"
	"time"
	"unicode"

	"golang.org/x/mod/modfile"
	"golang.org/x/mod/module"
	"golang.org/x/mod/semver"
)

type request struct {
	Op string `json:"op"`
	A  string `json:"a"`
	B  string `json:"b"`
	C  string `json:"c"`
	T  int64  `json:"t"`
}

type answer struct {
	OK  bool   `json:"ok"`
	Out string `json:"out"`
	N   int64  `json:"n"`
}

func errAnswer(out string, err error) answer {
	return answer{OK: err == nil, Out: out}
}

func run(r request) answer {
	switch r.Op {
	case "checkPath":
		return errAnswer("", module.CheckPath(r.A))
	case "checkImportPath":
		return errAnswer("", module.CheckImportPath(r.A))
	case "checkFilePath":
		return errAnswer("", module.CheckFilePath(r.A))
	case "check":
		return errAnswer("", module.Check(r.A, r.B))
	case "escapePath":
		return errAnswer(module.EscapePath(r.A))
	case "escapeVersion":
		return errAnswer(module.EscapeVersion(r.A))
	case "unescapePath":
		return errAnswer(module.UnescapePath(r.A))
	case "unescapeVersion":
		return errAnswer(module.UnescapeVersion(r.A))
	case "splitPathVersion":
		prefix, pathMajor, ok := module.SplitPathVersion(r.A)
		return answer{OK: ok, Out: prefix + "|" + pathMajor}
	case "checkPathMajor":
		return errAnswer("", module.CheckPathMajor(r.A, r.B))
	case "canonicalVersion":
		return answer{OK: true, Out: module.CanonicalVersion(r.A)}
	case "matchPrefixPatterns":
		return answer{OK: module.MatchPrefixPatterns(r.A, r.B)}
	case "pathMatch":
		matched, err := path.Match(r.A, r.B)
		if err != nil {
			return answer{OK: false, Out: "bad"}
		}
		return answer{OK: matched}
	case "pseudoVersion":
		return answer{OK: true, Out: module.PseudoVersion(r.A, r.B, time.Unix(r.T, 0), r.C)}
	case "isPseudoVersion":
		return answer{OK: module.IsPseudoVersion(r.A)}
	case "pseudoVersionBase":
		return errAnswer(module.PseudoVersionBase(r.A))
	case "pseudoVersionRev":
		return errAnswer(module.PseudoVersionRev(r.A))
	case "pseudoVersionTime":
		t, err := module.PseudoVersionTime(r.A)
		return answer{OK: err == nil, N: t.Unix()}
	case "letterRanges":
		return answer{OK: true, Out: letterRanges()}
	case "parseGoMod":
		return parseGoMod(r.A)
	case "parseGoWork":
		return parseGoWork(r.A)
	case "parseGoModLax":
		// As golang.org/x/mod/zip reads a module's go.mod for the vendor rule.
		f, err := modfile.ParseLax("go.mod", []byte(r.A), nil)
		if err != nil {
			return answer{OK: false}
		}
		out := "|"
		if f.Module != nil {
			out = f.Module.Mod.Path + "|"
		}
		if f.Go != nil {
			out += f.Go.Version
		}
		return answer{OK: true, Out: out}
	default:
		return semverOp(r)
	}
}

func semverOp(r request) answer {
	switch r.Op {
	case "isValid":
		return answer{OK: semver.IsValid(r.A)}
	case "canonical":
		return answer{OK: true, Out: semver.Canonical(r.A)}
	case "major":
		return answer{OK: true, Out: semver.Major(r.A)}
	case "majorMinor":
		return answer{OK: true, Out: semver.MajorMinor(r.A)}
	case "prerelease":
		return answer{OK: true, Out: semver.Prerelease(r.A)}
	case "build":
		return answer{OK: true, Out: semver.Build(r.A)}
	case "compare":
		return answer{OK: true, N: int64(semver.Compare(r.A, r.B))}
	case "max":
		return answer{OK: true, Out: semver.Max(r.A, r.B)}
	}
	fmt.Fprintf(os.Stderr, "xmodref: unknown op %q\n", r.Op)
	os.Exit(2)
	return answer{}
}

func main() {
	var reqs []request
	if err := json.NewDecoder(os.Stdin).Decode(&reqs); err != nil {
		fmt.Fprintf(os.Stderr, "xmodref: %v\n", err)
		os.Exit(2)
	}
	answers := make([]answer, len(reqs))
	for i, r := range reqs {
		answers[i] = run(r)
	}
	if err := json.NewEncoder(os.Stdout).Encode(answers); err != nil {
		fmt.Fprintf(os.Stderr, "xmodref: %v\n", err)
		os.Exit(2)
	}
}

// fixVersion stands in for cmd/go's modload fixer on a checked-in go.mod
// (cmd/go/internal/modload/init.go fixVersion): a version must be valid semver and
// is canonicalized (where cmd/go would run a query), and, as cmd/go checks for
// every version it is given, the path must split and its major suffix must match
// the version. The fixer is what refuses "retract v2.0.0" in a v0/v1 module and a
// replacement "=> x.y/z v2.0.0": x/mod itself checks the major only for require,
// exclude and a replaced version.
func fixVersion(path, vers string) (string, error) {
	cv := module.CanonicalVersion(vers)
	if cv == "" {
		return "", &module.InvalidVersionError{Version: vers, Err: fmt.Errorf("must be of the form v1.2.3")}
	}
	_, pathMajor, ok := module.SplitPathVersion(path)
	if !ok {
		return "", &module.ModuleError{Path: path, Err: &module.InvalidVersionError{Version: cv, Err: fmt.Errorf("malformed module path %q", path)}}
	}
	if err := module.CheckPathMajor(cv, pathMajor); err != nil {
		return "", module.VersionError(module.Version{Path: path, Version: cv}, err)
	}
	return cv, nil
}

// parseGoMod answers with the sorted error lines, or, when the file is valid, a
// one-line summary of every directive in file order.
func parseGoMod(text string) answer {
	f, err := modfile.Parse("go.mod", []byte(text), fixVersion)
	if err != nil {
		return errorLines(err)
	}
	out := ""
	if f.Module != nil {
		out += fmt.Sprintf("module %q %q %d\n", f.Module.Mod.Path, f.Module.Deprecated, f.Module.Syntax.Start.Line)
	}
	if f.Go != nil {
		out += fmt.Sprintf("go %q %d\n", f.Go.Version, f.Go.Syntax.Start.Line)
	}
	for _, r := range f.Require {
		out += fmt.Sprintf("require %q %q %v %d\n", r.Mod.Path, r.Mod.Version, r.Indirect, r.Syntax.Start.Line)
	}
	for _, r := range f.Exclude {
		out += fmt.Sprintf("exclude %q %q %d\n", r.Mod.Path, r.Mod.Version, r.Syntax.Start.Line)
	}
	for _, r := range f.Replace {
		out += fmt.Sprintf("replace %q %q %q %q %d\n", r.Old.Path, r.Old.Version, r.New.Path, r.New.Version, r.Syntax.Start.Line)
	}
	for _, r := range f.Retract {
		out += fmt.Sprintf("retract %q %q %q %d\n", r.Low, r.High, r.Rationale, r.Syntax.Start.Line)
	}
	return answer{OK: true, Out: out}
}

// letterRanges lists unicode.IsLetter above U+007F as comma-separated hex "lo-hi" or "cp".
func letterRanges() string {
	var parts []string
	lo := rune(-1)
	for r := rune(0x80); r <= unicode.MaxRune+1; r++ {
		is := r <= unicode.MaxRune && unicode.IsLetter(r)
		if is && lo < 0 {
			lo = r
		}
		if !is && lo >= 0 {
			if lo == r-1 {
				parts = append(parts, fmt.Sprintf("%x", lo))
			} else {
				parts = append(parts, fmt.Sprintf("%x-%x", lo, r-1))
			}
			lo = -1
		}
	}
	return strings.Join(parts, ",")
}

// parseGoWork answers with the sorted error lines of modfile.ParseWork, or, when the
// file is valid, its use directives.
func parseGoWork(text string) answer {
	f, err := modfile.ParseWork("go.work", []byte(text), fixVersion)
	if err != nil {
		return errorLines(err)
	}
	out := ""
	for _, u := range f.Use {
		out += fmt.Sprintf("use %q %d\n", u.Path, u.Syntax.Start.Line)
	}
	return answer{OK: true, Out: out}
}

// errorLines answers a modfile parse error with its sorted error lines (-1: no line).
func errorLines(err error) answer {
	lines := map[int]bool{}
	if list, ok := err.(modfile.ErrorList); ok {
		for _, e := range list {
			lines[e.Pos.Line] = true
		}
	} else {
		lines[-1] = true
	}
	var ls []int
	for l := range lines {
		ls = append(ls, l)
	}
	sort.Ints(ls)
	return answer{OK: false, Out: fmt.Sprint(ls)}
}
