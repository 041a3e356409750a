package main

import (
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"go.yaml.in/yaml/v4"
)

// composeFile is the part of deploy/compose.yaml the test checks.
type composeFile struct {
	Services map[string]struct {
		Image       string            `yaml:"image"`
		Build       any               `yaml:"build"`
		Command     []string          `yaml:"command"`
		Environment map[string]string `yaml:"environment"`
		DependsOn   map[string]any    `yaml:"depends_on"`
		Volumes     []string          `yaml:"volumes"`
		Networks    any               `yaml:"networks"`
	} `yaml:"services"`
	Networks map[string]any `yaml:"networks"`
	Volumes  map[string]any `yaml:"volumes"`
}

// interpolate replaces compose's ${NAME:-default} with the default, as compose does
// with NAME unset.
func interpolate(s string) string {
	return regexp.MustCompile(`\$\{[A-Z_]+:-([^}]*)\}`).ReplaceAllString(s, "$1")
}

// TestDeployCompose checks deploy/compose.yaml without a Docker engine: it parses; every
// service, volume, network and file it refers to exists; the parley services' command
// is `parley serve` with real flags and values, and their PARLEY_* variables name real
// flags; the database URL leads through PgBouncer in transaction mode, migrations go to
// the primary directly and reads to the replica; PgBouncer pools transactions in front of
// the primary; nginx balances over both instances on the port they listen on and is the
// proxy they trust; and the statement timeout parley is given is the role's default.
func TestDeployCompose(t *testing.T) {
	t.Parallel()
	dir := filepath.Join("..", "..", "deploy")
	raw, err := os.ReadFile(filepath.Join(dir, "compose.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var c composeFile
	if err := yaml.Unmarshal([]byte(interpolate(string(raw))), &c); err != nil {
		t.Fatalf("compose.yaml: %v", err)
	}
	for _, name := range []string{"primary", "replica", "pgbouncer", "parley1", "parley2", "lb"} {
		if _, ok := c.Services[name]; !ok {
			t.Errorf("no service %s", name)
		}
	}
	for name, s := range c.Services {
		if s.Image == "" && s.Build == nil {
			t.Errorf("service %s has neither image nor build", name)
		}
		for dep := range s.DependsOn {
			if _, ok := c.Services[dep]; !ok {
				t.Errorf("service %s depends on %s, which is not a service", name, dep)
			}
		}
		for _, v := range s.Volumes {
			src := strings.Split(v, ":")[0]
			if strings.HasPrefix(src, ".") {
				if _, err := os.Stat(filepath.Join(dir, src)); err != nil {
					t.Errorf("service %s mounts %s: %v", name, src, err)
				}
			} else if _, ok := c.Volumes[src]; !ok {
				t.Errorf("service %s mounts volume %s, which is not declared", name, src)
			}
		}
		nets := map[string]any{}
		switch n := s.Networks.(type) {
		case []any:
			for _, v := range n {
				nets[v.(string)] = nil
			}
		case map[string]any:
			nets = n
		}
		for n := range nets {
			if _, ok := c.Networks[n]; !ok {
				t.Errorf("service %s joins network %s, which is not declared", name, n)
			}
		}
	}

	var addr, trusted, timeout string
	for _, name := range []string{"parley1", "parley2"} {
		s := c.Services[name]
		if len(s.Command) == 0 || s.Command[0] != "serve" {
			t.Fatalf("%s runs %q, want serve", name, s.Command)
		}
		serve, _, err := newRoot().Find([]string{"serve"})
		if err != nil {
			t.Fatal(err)
		}
		if err := serve.ParseFlags(s.Command[1:]); err != nil {
			t.Fatalf("%s: parley serve %s: %v", name, strings.Join(s.Command[1:], " "), err)
		}
		addr, trusted, timeout = serve.Flag("addr").Value.String(), serve.Flag("trusted-proxies").Value.String(), serve.Flag("statement-timeout").Value.String()
		for k := range s.Environment {
			flag := strings.ToLower(strings.ReplaceAll(strings.TrimPrefix(k, "PARLEY_"), "_", "-"))
			if !strings.HasPrefix(k, "PARLEY_") || serve.Flag(flag) == nil {
				t.Errorf("%s: %s names no flag of parley serve", name, k)
			}
		}
		want := map[string]struct{ host, poolMode string }{
			"PARLEY_DATABASE_URL":      {"pgbouncer:6432", "transaction"},
			"PARLEY_MIGRATE_URL":       {"primary:5432", ""},
			"PARLEY_READ_REPLICA_URLS": {"replica:5432", ""},
		}
		for k, w := range want {
			u, err := url.Parse(s.Environment[k])
			if err != nil {
				t.Fatalf("%s: %s: %v", name, k, err)
			}
			if u.Host != w.host || u.Query().Get("pool_mode") != w.poolMode {
				t.Errorf("%s: %s = %s, want host %s and pool_mode=%q", name, k, u.Redacted(), w.host, w.poolMode)
			}
		}
	}
	if ip := c.Networks["backend"]; ip == nil || !strings.Contains(string(raw), "ipv4_address: "+strings.Trim(trusted, "[]")) {
		t.Errorf("parley trusts %s as its proxy, which is not lb's fixed address", trusted)
	}

	ini := readFile(t, filepath.Join(dir, "pgbouncer", "pgbouncer.ini"))
	for _, line := range []string{"pool_mode = transaction", "parley = host=primary port=5432 dbname=parley", "listen_port = 6432"} {
		if !strings.Contains(ini, "\n"+line+"\n") {
			t.Errorf("pgbouncer.ini lacks %q", line)
		}
	}
	nginx := readFile(t, filepath.Join(dir, "nginx", "nginx.conf"))
	for _, svc := range []string{"parley1", "parley2"} {
		if !strings.Contains(nginx, "server "+svc+addr+" ") {
			t.Errorf("nginx.conf does not balance over %s%s", svc, addr)
		}
	}
	if timeout != "30s" || !strings.Contains(readFile(t, filepath.Join(dir, "primary", "init.sh")), "SET statement_timeout = '"+timeout+"'") {
		t.Errorf("parley's --statement-timeout %s is not the role's default in primary/init.sh", timeout)
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path) // #nosec G304 -- the repository's own deploy files
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
