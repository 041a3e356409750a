package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
)

// TestImportBulkCLI loads a generated bundle with import --bulk into a fresh database,
// then checks that a second --bulk is refused, since the database now holds data, while
// a plain import of the same bundle still finds everything unchanged.
func TestImportBulkCLI(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	db := filepath.Join(dir, "bulk.db")
	bundle := filepath.Join(dir, "gen.ndjson")
	if out, err := run(t, ctx, "gen", "--events", "50", "--seed", "9", "--out", bundle); err != nil {
		t.Fatalf("gen: %v %s", err, out)
	}
	out, err := run(t, ctx, "import", "--bulk", bundle, "--database-url", db)
	if err != nil || !strings.Contains(out, `"committed": true`) || !strings.Contains(out, `"created": 50`) {
		t.Fatalf("import --bulk: %v %s", err, out)
	}
	out, err = run(t, ctx, "import", "--bulk", bundle, "--database-url", db)
	if err == nil || !strings.Contains(err.Error(), "empty database") {
		t.Fatalf("a second import --bulk: %v %s, want a refusal", err, out)
	}
	out, err = run(t, ctx, "import", bundle, "--database-url", db)
	if err != nil || !strings.Contains(out, `"unchanged": 50`) {
		t.Fatalf("import after import --bulk: %v %s", err, out)
	}
}
