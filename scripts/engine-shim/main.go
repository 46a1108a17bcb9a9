// The engine shim of a delegated `terragrunt run --all`, in Go: what orchestrator/runs/engine_shim.py
// does, at a tenth of its CPU (it runs once per unit of every run: docs/development.md, Benchmarks).
//
// Terragrunt runs it (through the `sh` wrapper orchestrator/runs/engine_server.py writes) for a unit's
// main command (plan, apply, destroy) and for its credentials request. It sends one JSON line
// {"cwd", "args", "env", "pid"} to the orch process over the unix socket ORCH_ENGINE_SOCKET names,
// waits for the JSON answer {"rc", "stdout", "stderr"}, prints those and exits with rc. It ignores
// SIGINT and SIGTERM: orch stops the engine processes it runs and then answers.
//
// Built by scripts/setup.sh into orch's cache (standard library only, nothing downloaded); without it
// orch uses the Python shim. The request is byte-for-byte what the Python shim sends: strings as
// json.dumps writes them (ASCII, \uXXXX escapes), bytes that are not UTF-8 as Python's
// surrogateescape reads them (\udcXX), so orch hands the engine the very environment Terragrunt gave.
package main

import (
	"bufio"
	"encoding/json"
	"net"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"unicode/utf8"
)

func main() {
	signal.Ignore(syscall.SIGINT, syscall.SIGTERM)
	os.Exit(run(os.Args[1:]))
}

func run(args []string) int {
	path := os.Getenv("ORCH_ENGINE_SOCKET")
	if path == "" {
		os.Stderr.WriteString("orch engine shim: ORCH_ENGINE_SOCKET is not set\n")
		return 1
	}
	cwd, err := syscall.Getwd() // the physical directory, as Python's os.getcwd()
	if err != nil {
		os.Stderr.WriteString("orch engine shim: " + err.Error() + "\n")
		return 1
	}
	conn, err := net.Dial("unix", path)
	if err != nil {
		os.Stderr.WriteString("orch engine shim: orch is not reachable (" + err.Error() + ")\n")
		return 1
	}
	defer conn.Close()
	if _, err := conn.Write(request(cwd, args, os.Environ(), os.Getpid())); err != nil {
		os.Stderr.WriteString("orch engine shim: orch is not reachable (" + err.Error() + ")\n")
		return 1
	}
	line, _ := bufio.NewReaderSize(conn, 65536).ReadBytes('\n')
	var answer struct {
		RC     *int   `json:"rc"`
		Stdout string `json:"stdout"`
		Stderr string `json:"stderr"`
	}
	if json.Unmarshal(line, &answer) != nil || answer.RC == nil {
		answer.RC = nil
	}
	if answer.Stdout != "" {
		os.Stdout.WriteString(answer.Stdout)
	}
	if answer.Stderr != "" {
		os.Stderr.WriteString(answer.Stderr)
	}
	if answer.RC == nil {
		return 1
	}
	return *answer.RC
}

// request is the JSON line the Python shim writes: {"cwd": ..., "args": [...], "env": {...}, "pid": N}.
func request(cwd string, args []string, environ []string, pid int) []byte {
	var b strings.Builder
	b.WriteString(`{"cwd": `)
	quote(&b, cwd)
	b.WriteString(`, "args": [`)
	for i, a := range args {
		if i > 0 {
			b.WriteString(", ")
		}
		quote(&b, a)
	}
	b.WriteString(`], "env": {`)
	seen := map[string]bool{}
	first := true
	for _, kv := range environ {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || seen[k] {
			continue // Python's os.environ keeps the first of a repeated name
		}
		seen[k] = true
		if !first {
			b.WriteString(", ")
		}
		first = false
		quote(&b, k)
		b.WriteString(": ")
		quote(&b, v)
	}
	b.WriteString(`}, "pid": `)
	b.WriteString(strconv.Itoa(pid))
	b.WriteString("}\n")
	return []byte(b.String())
}

const hex = "0123456789abcdef"

// quote writes s as json.dumps(ensure_ascii=True) writes the str Python decodes s into
// (UTF-8, with surrogateescape for the bytes that are not).
func quote(b *strings.Builder, s string) {
	b.WriteByte('"')
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			escape(b, 0xdc00+rune(s[i])) // surrogateescape
			i++
			continue
		}
		i += size
		switch {
		case r == '"':
			b.WriteString(`\"`)
		case r == '\\':
			b.WriteString(`\\`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\b':
			b.WriteString(`\b`)
		case r == '\f':
			b.WriteString(`\f`)
		case r < 0x20 || r > 0x7e:
			if r > 0xffff {
				r -= 0x10000
				escape(b, 0xd800+(r>>10))
				escape(b, 0xdc00+(r&0x3ff))
			} else {
				escape(b, r)
			}
		default:
			b.WriteByte(byte(r))
		}
	}
	b.WriteByte('"')
}

func escape(b *strings.Builder, r rune) {
	b.WriteString(`\u`)
	b.WriteByte(hex[(r>>12)&0xf])
	b.WriteByte(hex[(r>>8)&0xf])
	b.WriteByte(hex[(r>>4)&0xf])
	b.WriteByte(hex[r&0xf])
}
