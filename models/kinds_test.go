package models

import (
	"reflect"
	"testing"
)

// Kinds is in dependency order, and names, plurals, tables and types are each one kind's.
func TestKindsRegistry(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	types := map[reflect.Type]bool{}
	for i, k := range Kinds {
		for _, r := range k.Refs {
			if r == k {
				t.Errorf("%s lists itself in Refs; that is SelfRef", k.Name)
			}
			found := false
			for _, before := range Kinds[:i] {
				found = found || before == r
			}
			if !found {
				t.Errorf("%s names %s, which does not come before it in Kinds", k.Name, r.Name)
			}
		}
		for _, name := range []string{"name:" + k.Name, "plural:" + k.Plural, "table:" + k.Table} {
			if seen[name] {
				t.Errorf("%s is used twice", name)
			}
			seen[name] = true
		}
		if k.Name == "" || k.Plural == "" || k.Table == "" || k.About == "" || k.New == nil {
			t.Errorf("kind %+v is incomplete", k)
		}
		typ := reflect.TypeOf(k.New())
		if types[typ] {
			t.Errorf("%s makes %v, as another kind does", k.Name, typ)
		}
		types[typ] = true
		if got, ok := KindNamed(k.Name); !ok || got != k {
			t.Errorf("KindNamed(%q) = %v", k.Name, got)
		}
		if k.Name == RelationRecordType {
			t.Errorf("a kind is named like the bundle's relation records")
		}
	}
	if _, ok := KindNamed("no-such-kind"); ok {
		t.Error("KindNamed found a kind that is not in Kinds")
	}
}
