package cli

import "context"

// runCompat is "maildoctor compat"; it arrives with its own issue.
func runCompat(ctx context.Context, args []string, env Env) error {
	return usagef("%q is not available in this version yet", "compat")
}
