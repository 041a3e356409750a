package gdelt

import (
	"crypto/sha256"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"testing"
)

func TestCmpOld(t *testing.T) {
	got := cameoDescriptions()
	if !reflect.DeepEqual(got, oldCAMEODescriptions) {
		for k, v := range oldCAMEODescriptions {
			if got[k] != v {
				t.Errorf("%s: got %q want %q", k, got[k], v)
			}
		}
		for k, v := range got {
			if _, ok := oldCAMEODescriptions[k]; !ok {
				t.Errorf("extra %s %q", k, v)
			}
		}
	}
	h := sha256.New()
	for _, k := range slices.Sorted(maps.Keys(oldCAMEODescriptions)) {
		fmt.Fprintf(h, "%s=%s\n", k, oldCAMEODescriptions[k])
	}
	t.Logf("count %d sha %x", len(oldCAMEODescriptions), h.Sum(nil))
}
