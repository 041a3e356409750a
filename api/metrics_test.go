package api_test

import (
	"bytes"
	"testing"

	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// TestMetrics reads /metrics with Prometheus's own parser after an export and an import:
// the row counters hold what moved, the pool gauges are there, and request latency is
// recorded per route.
func TestMetrics(t *testing.T) {
	t.Parallel()
	each(t, true, func(t *testing.T, c *client) {
		c.get("/api/v1/export?format=ndjson").want(t, 200, nil)
		rep := importBundle(t, c, genBundle(t, 20), "")
		if !rep.Committed {
			t.Fatalf("import: %+v", rep)
		}
		parser := expfmt.NewTextParser(model.UTF8Validation)
		families, err := parser.TextToMetricFamilies(bytes.NewReader(c.get("/metrics").Body))
		if err != nil {
			t.Fatal(err)
		}
		value := func(name string, labels map[string]string) float64 {
			t.Helper()
			f := families[name]
			if f == nil {
				t.Fatalf("no metric %s", name)
			}
		next:
			for _, m := range f.Metric {
				for _, l := range m.Label {
					if want, ok := labels[l.GetName()]; ok && want != l.GetValue() {
						continue next
					}
				}
				switch {
				case m.Counter != nil:
					return m.Counter.GetValue()
				case m.Gauge != nil:
					return m.Gauge.GetValue()
				case m.Histogram != nil:
					return float64(m.Histogram.GetSampleCount())
				}
			}
			t.Fatalf("no %s with %v", name, labels)
			return 0
		}
		if got := value("parley_export_rows_total", map[string]string{"format": "ndjson"}); got != 6 {
			t.Errorf("exported ndjson rows %v, want the dataset's 6 events", got)
		}
		if got := value("parley_import_records_total", map[string]string{"type": "event", "outcome": "created"}); got != float64(rep.Counts["event"].Created) {
			t.Errorf("imported events %v, want %d", got, rep.Counts["event"].Created)
		}
		if value("parley_db_connections_max", nil) < 1 || value("parley_db_connections_open", nil) < 1 {
			t.Error("no database pool figures")
		}
		if value("parley_http_request_duration_seconds", map[string]string{"route": "/api/v1/import", "method": "POST", "status": "200"}) != 1 {
			t.Error("the import's latency was not recorded under its route")
		}
	})
}
