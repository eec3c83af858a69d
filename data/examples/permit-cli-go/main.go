// permit-cli: a small command-line tool of the example organisation (Go), used to build the example
// estate's SBOM with cyclonedx-gomod. It lists building permits from a PostgreSQL database as YAML.
package main

import (
	"context"
	"os"

	"github.com/jackc/pgx/v5"
	"github.com/spf13/cobra"
	"go.uber.org/zap"
	"gopkg.in/yaml.v3"
)

func main() {
	logger, _ := zap.NewProduction()
	defer logger.Sync()
	root := &cobra.Command{
		Use: "permit-cli",
		RunE: func(cmd *cobra.Command, args []string) error {
			conn, err := pgx.Connect(context.Background(), os.Getenv("DATABASE_URL"))
			if err != nil {
				return err
			}
			defer conn.Close(context.Background())
			return yaml.NewEncoder(os.Stdout).Encode(map[string]string{"status": "ok"})
		},
	}
	if err := root.Execute(); err != nil {
		logger.Error("permit-cli failed", zap.Error(err))
		os.Exit(1)
	}
}
