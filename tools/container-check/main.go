// Command container-check reads container files with the parsers of the tools that run them and
// prints what they understood as JSON, for test/static/containers.spec.ts to assert on:
//
//	container-check compose [--project-directory DIR] [--env-file FILE]... [--no-interpolate] -f FILE [-f FILE]...
//	    Loads and merges the compose files, in order, with the Compose specification's own loader
//	    (compose-go, the library inside `docker compose`): schema validation, interpolation,
//	    merge tags (!override, !reset), normalisation and the consistency checks (e.g. depends_on
//	    naming an undefined service). Prints the merged model, like `docker compose config
//	    --format json`. A file the loader rejects exits 1 with the loader's message on stderr.
//
//	container-check shell [--bash] FILE|-
//	    Parses a shell script (a compose `sh -c` command, an init hook) as POSIX sh, or bash, and
//	    prints every simple command it runs, as for the Dockerfile's RUN lines above.
//
//	container-check dockerfile FILE
//	    Parses a Dockerfile with BuildKit's parser and instruction reader (what `docker build`
//	    runs) and prints its stages and instructions. Shell-form RUN, CMD and ENTRYPOINT command
//	    lines are also parsed as POSIX shell (mvdan.cc/sh), and every simple command they run is
//	    listed, so a check can tell `npm run build` from `true # npm run build`. BuildKit's
//	    parse-time lint warnings (the `docker build --check` rules that fire while parsing) are
//	    listed too.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"

	"mvdan.cc/sh/v3/syntax"
)

func main() {
	if len(os.Args) < 2 {
		usage()
	}
	var (
		out any
		err error
	)
	switch os.Args[1] {
	case "compose":
		out, err = runCompose(os.Args[2:])
	case "dockerfile":
		out, err = runDockerfile(os.Args[2:])
	case "shell":
		out, err = runShell(os.Args[2:])
	default:
		usage()
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "container-check %s: %v\n", os.Args[1], err)
		os.Exit(1)
	}
	encoder := json.NewEncoder(os.Stdout)
	encoder.SetIndent("", "  ")
	if err := encoder.Encode(out); err != nil {
		fmt.Fprintf(os.Stderr, "container-check: %v\n", err)
		os.Exit(1)
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: container-check compose [--project-directory DIR] [--env-file FILE]... [--no-interpolate] -f FILE [-f FILE]...")
	fmt.Fprintln(os.Stderr, "       container-check dockerfile FILE")
	fmt.Fprintln(os.Stderr, "       container-check shell [--bash] FILE|-")
	os.Exit(2)
}

// repeated is a flag that may be given several times (-f, --env-file), kept in order.
type repeated []string

func (r *repeated) String() string     { return fmt.Sprint(*r) }
func (r *repeated) Set(v string) error { *r = append(*r, v); return nil }

func runCompose(args []string) (any, error) {
	flags := flag.NewFlagSet("compose", flag.ContinueOnError)
	flags.SetOutput(io.Discard)
	var files, envFiles repeated
	flags.Var(&files, "f", "compose file (repeat, in order)")
	flags.Var(&files, "file", "compose file (repeat, in order)")
	flags.Var(&envFiles, "env-file", "interpolation variables (default: .env in the project directory)")
	projectDir := flags.String("project-directory", "", "project directory (default: the first file's directory)")
	noInterpolate := flags.Bool("no-interpolate", false, "keep ${VAR} references as written")
	if err := flags.Parse(args); err != nil {
		return nil, err
	}
	if flags.NArg() > 0 || len(files) == 0 {
		return nil, fmt.Errorf("expected -f FILE [-f FILE]..., got %q", args)
	}
	return loadCompose(context.Background(), composeOptions{
		files:       files,
		envFiles:    envFiles,
		projectDir:  *projectDir,
		interpolate: !*noInterpolate,
	})
}

func runDockerfile(args []string) (any, error) {
	if len(args) != 1 {
		return nil, fmt.Errorf("expected one Dockerfile, got %q", args)
	}
	file, err := os.Open(args[0])
	if err != nil {
		return nil, err
	}
	defer file.Close()
	return parseDockerfile(file)
}

func runShell(args []string) (any, error) {
	flags := flag.NewFlagSet("shell", flag.ContinueOnError)
	flags.SetOutput(io.Discard)
	bash := flags.Bool("bash", false, "parse as bash rather than POSIX sh")
	if err := flags.Parse(args); err != nil {
		return nil, err
	}
	if flags.NArg() != 1 {
		return nil, fmt.Errorf("expected one script (or - for stdin), got %q", flags.Args())
	}
	var script []byte
	var err error
	if flags.Arg(0) == "-" {
		script, err = io.ReadAll(os.Stdin)
	} else {
		script, err = os.ReadFile(flags.Arg(0))
	}
	if err != nil {
		return nil, err
	}
	variant := syntax.LangPOSIX
	if *bash {
		variant = syntax.LangBash
	}
	return simpleCommands(string(script), variant)
}
