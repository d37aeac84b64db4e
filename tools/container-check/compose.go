package main

import (
	"context"
	"encoding/json"

	"github.com/compose-spec/compose-go/v2/cli"
)

type composeOptions struct {
	files       []string
	envFiles    []string
	projectDir  string
	interpolate bool
}

// loadCompose loads the files the way `docker compose` does (its project options, in its order):
// the OS environment, then the env files (.env in the project directory by default, unless
// COMPOSE_DISABLE_ENV_FILE is set), interpolation, the files merged in the order given.
func loadCompose(ctx context.Context, o composeOptions) (json.RawMessage, error) {
	options, err := cli.NewProjectOptions(o.files,
		cli.WithWorkingDirectory(o.projectDir),
		cli.WithOsEnv,
		cli.WithEnvFiles(o.envFiles...),
		cli.WithDotEnv,
		cli.WithDefaultProfiles(),
		cli.WithInterpolation(o.interpolate),
		cli.WithResolvedPaths(true),
	)
	if err != nil {
		return nil, err
	}
	project, err := options.LoadProject(ctx)
	if err != nil {
		return nil, err
	}
	return project.MarshalJSON()
}
