package store_test

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"

	"github.com/parley-api/parley/store"
	"github.com/parley-api/parley/store/storetest"
)

// TestLogsFailedStatements checks that the SQL log keeps what an operator needs (a failed
// statement, with its SQL) and stays quiet for statements that succeed quickly.
func TestLogsFailedStatements(t *testing.T) {
	t.Parallel()
	for _, d := range storetest.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			var buf bytes.Buffer
			s, err := store.Open(bg, storetest.URL(t, d), store.Options{Logger: slog.New(slog.NewTextHandler(&buf, nil))})
			must(t, err)
			defer s.Close()
			must(t, store.ExecForTest(s, "SELECT 1"))
			if buf.Len() != 0 {
				t.Fatalf("a quick statement was logged: %s", buf.String())
			}
			if err := store.ExecForTest(s, "SELECT * FROM no_such_table"); err == nil {
				t.Fatal("no error from a missing table")
			}
			if !strings.Contains(buf.String(), "no_such_table") || !strings.Contains(buf.String(), "level=ERROR") {
				t.Fatalf("the failed statement was not logged: %q", buf.String())
			}
			buf.Reset()
			long := "SELECT * FROM no_such_table WHERE name IN ('" + strings.Repeat("x", 100_000) + "')"
			if err := store.ExecForTest(s, long); err == nil {
				t.Fatal("no error from a missing table")
			}
			if !strings.Contains(buf.String(), "no_such_table") || buf.Len() > 10_000 {
				t.Fatalf("a long failed statement logged as %d bytes", buf.Len())
			}
		})
	}
}
