package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/linter"
	"github.com/moby/buildkit/frontend/dockerfile/parser"
	"mvdan.cc/sh/v3/syntax"
)

type dockerfileModel struct {
	ParserWarnings []string     `json:"parserWarnings"`
	Lint           []lintResult `json:"lint"`
	MetaArgs       []keyValue   `json:"metaArgs"`
	Stages         []stage      `json:"stages"`
}

type lintResult struct {
	Rule    string `json:"rule"`
	Message string `json:"message"`
	Line    int    `json:"line"`
}

type keyValue struct {
	Key   string  `json:"key"`
	Value *string `json:"value"`
}

type stage struct {
	Name string `json:"name"`
	// Base is an image reference or the name of an earlier stage.
	Base         string        `json:"base"`
	Platform     string        `json:"platform,omitempty"`
	Line         int           `json:"line"`
	Instructions []instruction `json:"instructions"`
}

type instruction struct {
	Keyword string `json:"keyword"`
	Line    int    `json:"line"`
	Source  string `json:"source"`

	// RUN, CMD, ENTRYPOINT: ShellForm is true for `RUN npm ci` (run by /bin/sh -c), false for
	// the exec form `CMD ["node", "main.js"]`. Args is the exec form's argv, or the one command
	// line of the shell form. Commands lists every simple command that runs: the argv for the
	// exec form, each command the shell would run for the shell form (comments and quoting
	// resolved by a POSIX shell parser; words are printed as written, `$VAR` unexpanded).
	ShellForm *bool      `json:"shellForm,omitempty"`
	Args      []string   `json:"args,omitempty"`
	Commands  [][]string `json:"commands,omitempty"`
	Heredocs  int        `json:"heredocs,omitempty"`
	Mounts    []mount    `json:"mounts,omitempty"`

	Env []keyValue `json:"env,omitempty"` // ENV, ARG (ARG values may be null)

	From    string   `json:"from,omitempty"` // COPY --from
	Sources []string `json:"sources,omitempty"`
	Dest    string   `json:"dest,omitempty"`
	Chown   string   `json:"chown,omitempty"`
	Chmod   string   `json:"chmod,omitempty"`

	User        string       `json:"user,omitempty"`
	Workdir     string       `json:"workdir,omitempty"`
	Ports       []string     `json:"ports,omitempty"`
	Healthcheck *healthcheck `json:"healthcheck,omitempty"`
}

type mount struct {
	Type   string `json:"type"`
	Target string `json:"target,omitempty"`
	From   string `json:"from,omitempty"`
	Source string `json:"source,omitempty"`
}

type healthcheck struct {
	// Test is Docker's form: ["CMD", argv...], ["CMD-SHELL", line] or ["NONE"].
	Test        []string `json:"test"`
	Interval    string   `json:"interval,omitempty"`
	Timeout     string   `json:"timeout,omitempty"`
	StartPeriod string   `json:"startPeriod,omitempty"`
	Retries     int      `json:"retries,omitempty"`
}

func parseDockerfile(r io.Reader) (*dockerfileModel, error) {
	result, err := parser.Parse(r)
	if err != nil {
		return nil, err
	}
	model := &dockerfileModel{
		ParserWarnings: []string{},
		Lint:           []lintResult{},
		MetaArgs:       []keyValue{},
		Stages:         []stage{},
	}
	for _, warning := range result.Warnings {
		model.ParserWarnings = append(model.ParserWarnings, warning.Short)
	}
	lint := linter.New(&linter.Config{
		Warn: func(rule, _, _, message string, location []parser.Range) {
			model.Lint = append(model.Lint, lintResult{Rule: rule, Message: message, Line: firstLine(location)})
		},
	})
	stages, metaArgs, err := instructions.Parse(result.AST, lint)
	if err != nil {
		return nil, err
	}
	for _, arg := range metaArgs {
		model.MetaArgs = append(model.MetaArgs, argPairs(&arg)...)
	}
	for _, s := range stages {
		out := stage{
			Name:         s.Name,
			Base:         s.BaseName,
			Platform:     s.Platform,
			Line:         firstLine(s.Location),
			Instructions: []instruction{},
		}
		for _, command := range s.Commands {
			converted, err := convert(command)
			if err != nil {
				return nil, fmt.Errorf("line %d: %w", firstLine(command.Location()), err)
			}
			out.Instructions = append(out.Instructions, converted)
		}
		model.Stages = append(model.Stages, out)
	}
	return model, nil
}

func convert(command instructions.Command) (instruction, error) {
	in := instruction{
		Keyword: strings.ToUpper(command.Name()),
		Line:    firstLine(command.Location()),
		Source:  fmt.Sprint(command),
	}
	var err error
	switch c := command.(type) {
	case *instructions.RunCommand:
		err = in.setCommandLine(c.ShellDependantCmdLine)
		if err == nil {
			// Mount options are read once variables can be expanded; keep them as written.
			err = c.Expand(func(word string) (string, error) { return word, nil })
		}
		for _, m := range instructions.GetMounts(c) {
			in.Mounts = append(in.Mounts, mount{Type: string(m.Type), Target: m.Target, From: m.From, Source: m.Source})
		}
	case *instructions.CmdCommand:
		err = in.setCommandLine(c.ShellDependantCmdLine)
	case *instructions.EntrypointCommand:
		err = in.setCommandLine(c.ShellDependantCmdLine)
	case *instructions.EnvCommand:
		for _, pair := range c.Env {
			value := pair.Value
			in.Env = append(in.Env, keyValue{Key: pair.Key, Value: &value})
		}
	case *instructions.ArgCommand:
		in.Env = argPairs(c)
	case *instructions.CopyCommand:
		in.From, in.Sources, in.Dest, in.Chown, in.Chmod = c.From, c.SourcePaths, c.DestPath, c.Chown, c.Chmod
	case *instructions.AddCommand:
		in.Sources, in.Dest, in.Chown, in.Chmod = c.SourcePaths, c.DestPath, c.Chown, c.Chmod
	case *instructions.UserCommand:
		in.User = c.User
	case *instructions.WorkdirCommand:
		in.Workdir = c.Path
	case *instructions.ExposeCommand:
		in.Ports = c.Ports
	case *instructions.HealthCheckCommand:
		in.Healthcheck = &healthcheck{
			Test:        c.Health.Test,
			Interval:    durationText(c.Health.Interval.String(), c.Health.Interval),
			Timeout:     durationText(c.Health.Timeout.String(), c.Health.Timeout),
			StartPeriod: durationText(c.Health.StartPeriod.String(), c.Health.StartPeriod),
			Retries:     c.Health.Retries,
		}
	}
	return in, err
}

func (in *instruction) setCommandLine(line instructions.ShellDependantCmdLine) error {
	shellForm := line.PrependShell
	in.ShellForm = &shellForm
	in.Args = line.CmdLine
	in.Heredocs = len(line.Files)
	in.Commands = [][]string{}
	if !shellForm {
		in.Commands = append(in.Commands, line.CmdLine)
		return nil
	}
	for _, script := range line.CmdLine {
		// RUN's default shell is /bin/sh -c: POSIX sh (dash in the Debian-based Node images).
		commands, err := simpleCommands(script, syntax.LangPOSIX)
		if err != nil {
			return fmt.Errorf("shell-form %s: %w", in.Keyword, err)
		}
		in.Commands = append(in.Commands, commands...)
	}
	return nil
}

// simpleCommands parses a shell script and returns every simple command in it (inside &&, ||, ;,
// pipes, if/case/for bodies, subshells and command substitutions), in source order: its
// assignments (`cpu=x64`, `FOO=1 cmd`) then its argv, each word as written ($VAR unexpanded,
// quotes kept). Comments are not commands.
func simpleCommands(script string, variant syntax.LangVariant) ([][]string, error) {
	file, err := syntax.NewParser(syntax.Variant(variant)).Parse(strings.NewReader(script), "")
	if err != nil {
		return nil, fmt.Errorf("does not parse as %s: %w", variant, err)
	}
	printer := syntax.NewPrinter()
	printNode := func(node syntax.Node) (string, error) {
		var text strings.Builder
		err := printer.Print(&text, node)
		return text.String(), err
	}
	commands := [][]string{}
	var walkErr error
	syntax.Walk(file, func(node syntax.Node) bool {
		call, ok := node.(*syntax.CallExpr)
		if !ok || walkErr != nil {
			return walkErr == nil
		}
		words := make([]string, 0, len(call.Assigns)+len(call.Args))
		for _, assign := range call.Assigns {
			text, err := printNode(assign)
			if err != nil {
				walkErr = err
				return false
			}
			words = append(words, text)
		}
		for _, word := range call.Args {
			text, err := printNode(word)
			if err != nil {
				walkErr = err
				return false
			}
			words = append(words, text)
		}
		commands = append(commands, words)
		return true
	})
	return commands, walkErr
}

func argPairs(c *instructions.ArgCommand) []keyValue {
	pairs := []keyValue{}
	for _, arg := range c.Args {
		pairs = append(pairs, keyValue{Key: arg.Key, Value: arg.Value})
	}
	return pairs
}

func durationText[T comparable](text string, value T) string {
	var zero T
	if value == zero {
		return ""
	}
	return text
}

func firstLine(location []parser.Range) int {
	if len(location) == 0 {
		return 0
	}
	return location[0].Start.Line
}
