package formats

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/parley-api/parley/models"
)

// Endpoint is a set of the places that offer output formats. The registry below says,
// for each format, where it is offered; handlers and the CLI ask it rather than keeping
// lists of their own.
type Endpoint uint8

// The places that offer formats.
const (
	// AtExport is GET /api/v1/export: events streamed as a download.
	AtExport Endpoint = 1 << iota
	// AtCLI is `parley export`: the same stream, to a file or stdout.
	AtCLI
	// AtTimeline is GET /api/v1/timeline: one page of events as a timeline document.
	AtTimeline
	// AtGraph is GET /api/v1/graph: the co-participation network.
	AtGraph
)

// String names the place as its users reach it: "GET /api/v1/export", "parley export".
func (e Endpoint) String() string {
	var out []string
	for _, p := range endpointNames {
		if e&p.at != 0 {
			out = append(out, p.name)
		}
	}
	return strings.Join(out, ", ")
}

var endpointNames = []struct {
	at   Endpoint
	name string
}{
	{AtExport, "GET /api/v1/export"}, {AtCLI, "parley export"}, {AtTimeline, "GET /api/v1/timeline"}, {AtGraph, "GET /api/v1/graph"},
}

// maxEchoedName bounds how much of an unknown format name an error repeats, so that the
// list of the known ones always fits in the message.
const maxEchoedName = 40

// UnknownFormat is the error for a format name a place does not offer (EINVALID, on the
// field "format"): every format the place takes, and, when the name is a format of
// another place, which one. An empty name is "is required" with the same list.
func UnknownFormat(at Endpoint, name string) *models.Error {
	list := strings.Join(Names(at), ", ")
	msg := "is required: one of " + list
	if name != "" {
		shown := name
		if r := []rune(name); len(r) > maxEchoedName {
			shown = string(r[:maxEchoedName]) + "…"
		}
		msg = fmt.Sprintf("%q is not one of %s", shown, list)
		var elsewhere Endpoint
		for _, f := range registry {
			if f.Name == name {
				elsewhere |= f.Endpoints &^ at
			}
		}
		if elsewhere != 0 {
			msg += fmt.Sprintf(" (%s is a format of %s)", name, elsewhere)
		}
	}
	return &models.Error{Code: models.EINVALID, Message: "invalid format",
		Fields: []models.FieldError{{Field: "format", Message: msg}}}
}

// Format is one output format: what it is called, what it is sent as, what it takes,
// and the encoders that write it, one per kind of place that offers it.
type Format struct {
	// Name is the format as the API's format parameter and the CLI's --format spell it.
	Name string
	// MediaType is the Content-Type of the output.
	MediaType string
	// Extension is the usual file extension of the output, without the dot.
	Extension string
	// Entities are what it takes, as the export's entity parameter spells it; an
	// export's default, "events", is first.
	Entities []string
	// Endpoints are the places that offer it.
	Endpoints Endpoint

	// export makes the streaming encoder of an entity (one of Entities), for AtExport
	// and AtCLI.
	export func(entity string) eventEncoder
	// Timeline builds the /timeline document from one page of events; nil for the
	// API's own list of events, which the handler writes (format=parley).
	Timeline func([]models.Event, TimelineOptions) any
	// Embeds says what a timeline needs embedded in its events, by its options; nil
	// for everything (the TimelineJS slides and the API's own list show it all).
	Embeds func(TimelineOptions) Embeds
	// Graph builds the /graph document: a value sent as JSON, or a WriteFunc that
	// writes the document itself (sent as a download).
	Graph func(*models.Graph) any
}

// Embeds names the related entities an encoder reads from events: what the store must
// load for it, and no more.
type Embeds struct {
	Participants, Location, Statements, Sources bool
	// Children are the events' own child rows: participants, tags, sources, relations.
	Children bool
}

// EmbedsFor is what format f needs embedded for opt.
func (f *Format) EmbedsFor(opt TimelineOptions) Embeds {
	if f.Embeds == nil {
		return Embeds{Participants: true, Location: true, Statements: true, Sources: true, Children: true}
	}
	return f.Embeds(opt)
}

// WriteFunc is a document that writes itself, for a format that is not JSON.
type WriteFunc func(w io.Writer) error

// Streams reports whether the format is written event by event as the events are read,
// in constant memory (the export formats), rather than built whole from one page.
func (f *Format) Streams() bool { return f.export != nil }

// The names each place offers, as typed constants: the handlers' swag annotations name
// these types, so the OpenAPI enums come from here, and a test holds them equal to the
// registry. Adding a format is its encoder's file and this file.
type (
	// ExportName is a format of GET /api/v1/export.
	ExportName string
	// TimelineName is a format of GET /api/v1/timeline.
	TimelineName string
	// GraphName is a format of GET /api/v1/graph.
	GraphName string
)

// The export formats, in the registry's order.
const (
	ExportNDJSON     ExportName = "ndjson"
	ExportJSON       ExportName = "json"
	ExportCSV        ExportName = "csv"
	ExportGeoJSON    ExportName = "geojson"
	ExportJSONLD     ExportName = "jsonld"
	ExportICS        ExportName = "ics"
	ExportTimelineJS ExportName = "timelinejs"
	ExportClaims     ExportName = "claims"
)

// The timeline formats, in the registry's order.
const (
	TimelineParley     TimelineName = "parley"
	TimelineTimelineJS TimelineName = "timelinejs"
	TimelineVis        TimelineName = "vis"
)

// The graph formats, in the registry's order: d3-force (nodes and links), Cytoscape.js
// (elements) and GEXF, the XML format Gephi opens natively.
const (
	GraphD3        GraphName = "d3"
	GraphCytoscape GraphName = "cytoscape"
	GraphGEXF      GraphName = "gexf"
)

// registry holds every output format. The order is the order of each place's list (the
// OpenAPI enums, the error messages), and each place's first format is its default.
var registry = []Format{
	{Name: string(ExportNDJSON), MediaType: "application/x-ndjson", Extension: "ndjson", Entities: events, Endpoints: AtExport | AtCLI,
		export: func(string) eventEncoder { return &exportNDJSON{} }},
	{Name: string(ExportJSON), MediaType: "application/json", Extension: "json", Entities: events, Endpoints: AtExport | AtCLI,
		export: func(string) eventEncoder { return &exportJSONArray{} }},
	{Name: string(ExportCSV), MediaType: "text/csv; charset=utf-8", Extension: "csv", Entities: ExportCSVEntities, Endpoints: AtExport | AtCLI,
		export: newCSV},
	{Name: string(ExportGeoJSON), MediaType: "application/geo+json", Extension: "geojson", Entities: events, Endpoints: AtExport | AtCLI,
		export: func(string) eventEncoder { return &exportGeoJSON{} }},
	{Name: string(ExportJSONLD), MediaType: "application/ld+json", Extension: "jsonld", Entities: events, Endpoints: AtExport | AtCLI,
		export: func(string) eventEncoder { return &exportJSONLD{} }},
	{Name: string(ExportICS), MediaType: "text/calendar; charset=utf-8", Extension: "ics", Entities: events, Endpoints: AtExport | AtCLI,
		export: func(string) eventEncoder { return &exportICS{} }},
	{Name: string(TimelineParley), MediaType: "application/json", Extension: "json", Entities: events, Endpoints: AtTimeline},
	{Name: string(ExportTimelineJS), MediaType: "application/json", Extension: "json", Entities: events, Endpoints: AtExport | AtTimeline,
		export:   func(string) eventEncoder { return &exportTimelineJS{} },
		Timeline: func(e []models.Event, opt TimelineOptions) any { return TimelineJS(e, opt) }},
	{Name: string(ExportClaims), MediaType: "text/csv; charset=utf-8", Extension: "csv", Entities: events, Endpoints: AtExport | AtCLI,
		export: newClaims},
	{Name: string(TimelineVis), MediaType: "application/json", Extension: "json", Entities: events, Endpoints: AtTimeline,
		Timeline: func(e []models.Event, opt TimelineOptions) any { return Vis(e, opt) },
		// The tooltip names the location; lanes by actor name the first participant.
		Embeds: func(opt TimelineOptions) Embeds {
			byActor := opt.GroupBy == GroupByActor
			return Embeds{Location: true, Participants: byActor, Children: byActor}
		}},
	{Name: string(GraphD3), MediaType: "application/json", Extension: "json", Entities: actors, Endpoints: AtGraph,
		Graph: func(g *models.Graph) any { return D3(g) }},
	{Name: string(GraphCytoscape), MediaType: "application/json", Extension: "json", Entities: actors, Endpoints: AtGraph,
		Graph: func(g *models.Graph) any { return Cytoscape(g) }},
	{Name: string(GraphGEXF), MediaType: "application/gexf+xml; charset=utf-8", Extension: "gexf", Entities: actors, Endpoints: AtGraph,
		Graph: func(g *models.Graph) any { return WriteFunc(func(w io.Writer) error { return GEXF(w, g) }) }},
}

// events and actors are the Entities of most formats: the events exported, and the
// actors of the co-participation graph (its nodes; its edges are shared events).
var (
	events = []string{"events"}
	actors = []string{"actors"}
)

// Formats lists the formats offered at a place, in order, its default first.
func Formats(at Endpoint) []Format {
	var out []Format
	for _, f := range registry {
		if f.Endpoints&at != 0 {
			out = append(out, f)
		}
	}
	return out
}

// Names lists the names of the formats offered at a place, in order, its default first.
func Names(at Endpoint) []string {
	var out []string
	for _, f := range Formats(at) {
		out = append(out, f.Name)
	}
	return out
}

// Lookup returns the format a place offers under name.
func Lookup(at Endpoint, name string) (Format, bool) {
	i := slices.IndexFunc(registry, func(f Format) bool { return f.Name == name && f.Endpoints&at != 0 })
	if i < 0 {
		return Format{}, false
	}
	return registry[i], true
}
