package store_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/parley-api/parley/models"
	"github.com/parley-api/parley/store"
	"github.com/parley-api/parley/store/storetest"
)

// roundTripDates covers every precision, the qualifiers, offsets and intervals.
var roundTripDates = []string{
	"2026",
	"2025-08",
	"2026-01-23",
	"2026-01-23T19:30+02:00",
	"2026-01-23T19:30-05:30",
	"2026-01-23T23:30-03:00", // another UTC day than the local one
	"2026-01-23T19:30",
	"2026-01-23T19:30:15Z",
	"2026-01-23T00:00+14:00",
	"2025-08~",
	"2025?",
	"2026-01-23%",
	"2026-01-23/2026-01-24",
	"2025-08/2026-01-23~",
	"2026-01-23T10:00+04:00/2026-01-23T18:30+04:00",
	"2026-01-23T23:59:59Z/2026-01-24T00:00:01Z",
	"1945-02-04/1945-02-11",
	"1969-12-31T23:59Z",
	"0001-01-01",
	"2024-02-29",
}

// TestDateRoundTrip stores dates as event dates, statement dates and source publication
// dates and checks that EDTF, start, end, precision and flags come back exactly, and
// that each date's own interval finds it.
func TestDateRoundTrip(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		checkRoundTrip(t, s, roundTripDates)
	})
}

// TestDateRoundTripExtremeYears: the supported years 0001-9998 round-trip exactly at
// both edges, on both databases; dates whose UTC interval leaves that range ("9999"
// ends at 10000-01-01T00:00Z) are refused by the parser, before any database sees them.
func TestDateRoundTripExtremeYears(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		// The supported range (years 0001-9998 in UTC) round-trips exactly at both edges...
		checkRoundTrip(t, s, []string{"0001", "0001-01-01T00:00Z", "9998", "9998-12-31", "9998-12-31T23:59:59Z", "0001-01-01T00:30-01:00"})
		// ...and dates whose interval leaves it are refused before they reach a database.
		for _, edtf := range []string{"0000", "9999", "9999-12-31", "9998-12-31T23:59:59-14:00", "0001-01-01T00:30+01:00"} {
			if _, err := models.ParseDate(edtf); err == nil {
				t.Errorf("ParseDate(%q) accepted a date outside 0001-9998", edtf)
			}
		}
	})
}

// checkRoundTrip stores each date in an event, a statement and a source and reads it
// back.
func checkRoundTrip(t *testing.T, s *store.Store, dates []string) {
	t.Helper()
	speaker := mkActor(t, s, "Speaker", models.ActorPerson, "")
	for i, edtf := range dates {
		t.Run(edtf, func(t *testing.T) {
			want, err := models.ParseDate(edtf)
			must(t, err)
			e := newEvent(fmt.Sprintf("Event %d", i), edtf)
			must(t, s.CreateEvent(bg, e))
			got, err := s.GetEvent(bg, e.ID.String(), store.Include{})
			if err != nil {
				t.Fatalf("get event: %v", err)
			}
			sameDate(t, "event", got.Date, want)
			p, err := s.ListEvents(bg, store.EventFilter{From: &want, To: &want, Sort: "date", Limit: 500})
			if err != nil {
				t.Fatalf("list events: %v", err)
			}
			found := false
			for _, x := range p.Items {
				if x.ID == e.ID {
					found = true
					sameDate(t, "listed event", x.Date, want)
				}
			}
			if !found {
				t.Errorf("event dated %s not found by from=to=%s", edtf, edtf)
			}

			st := newStatement(speaker, "Said.", edtf)
			must(t, s.CreateStatement(bg, st))
			gst, err := s.GetStatement(bg, st.ID.String())
			if err != nil {
				t.Fatalf("get statement: %v", err)
			}
			sameDate(t, "statement", gst.Date, want)

			src := &models.Source{Outlet: "Outlet", Title: edtf, Published: want}
			must(t, s.CreateSource(bg, src))
			gsrc, err := s.GetSource(bg, src.ID.String())
			if err != nil {
				t.Fatalf("get source: %v", err)
			}
			sameDate(t, "source", gsrc.Published, want)

			// The revision's JSON carries the same date.
			revs := revisions(t, s, "event", e.ID.String())
			var snap struct {
				Date models.Date `json:"date"`
			}
			must(t, jsonUnmarshal(revs[0].Data, &snap))
			sameDate(t, "revision", snap.Date, want)
		})
	}
	// Timestamps written by the store survive too.
	e := mkEvent(t, s, newEvent("Timestamps", "2026"))
	got, err := s.GetEvent(bg, e.ID.String(), store.Include{})
	must(t, err)
	if !got.CreatedAt.Equal(e.CreatedAt) || !got.UpdatedAt.Equal(e.UpdatedAt) || e.CreatedAt.Nanosecond()%int(time.Microsecond) != 0 {
		t.Errorf("timestamps %v/%v, stored %v/%v", got.CreatedAt, got.UpdatedAt, e.CreatedAt, e.UpdatedAt)
	}
}
