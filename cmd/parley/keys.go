package main

import (
	"context"
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/parley-api/parley/models"
	"github.com/parley-api/parley/store"
	"github.com/spf13/cobra"
)

// keysCmd manages API keys on the database directly: the way to make the first admin key.
func keysCmd(cfg *config) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "keys create|list|revoke",
		Short: "Create, list or revoke API keys (migrates the database first)",
	}
	var name, scope string
	create := &cobra.Command{
		Use:   "create --name NAME --scope read|write|admin",
		Short: "Create a key; its secret is printed once, on stdout",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return cfg.withMigratedStore(cmd, func(ctx context.Context, st *store.Store) error {
				k, secret, err := st.CreateKey(ctx, name, models.Scope(scope))
				if err != nil {
					return err
				}
				fmt.Fprintf(cmd.ErrOrStderr(), "created %s key %q (%s); the secret below is shown once\n", k.Scope, k.Name, k.Prefix)
				fmt.Fprintln(cmd.OutOrStdout(), secret)
				return nil
			})
		},
	}
	create.Flags().StringVar(&name, "name", "", "who or what the key is for")
	create.Flags().StringVar(&scope, "scope", "read", "read, write (includes read) or admin (includes write)")
	_ = create.MarkFlagRequired("name")
	list := &cobra.Command{
		Use:   "list",
		Short: "List keys (never their secrets)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return cfg.withMigratedStore(cmd, func(ctx context.Context, st *store.Store) error {
				keys, err := st.ListKeys(ctx)
				if err != nil {
					return err
				}
				w := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 0, 2, ' ', 0)
				fmt.Fprintln(w, "ID\tPREFIX\tSCOPE\tNAME\tCREATED\tREVOKED")
				for _, k := range keys {
					revoked := "-"
					if k.RevokedAt != nil {
						revoked = k.RevokedAt.Format(time.RFC3339)
					}
					fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\n", k.ID, k.Prefix, k.Scope, k.Name, k.CreatedAt.Format(time.RFC3339), revoked)
				}
				return w.Flush()
			})
		},
	}
	revoke := &cobra.Command{
		Use:   "revoke ID|PREFIX",
		Short: "Revoke a key: it is refused from now on",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return cfg.withMigratedStore(cmd, func(ctx context.Context, st *store.Store) error {
				k, err := st.RevokeKey(ctx, args[0])
				if err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "revoked %s key %q (%s)\n", k.Scope, k.Name, k.Prefix)
				return nil
			})
		},
	}
	cmd.AddCommand(create, list, revoke)
	return cmd
}
