package formats

import (
	"encoding/xml"
	"io"
	"strconv"

	"github.com/parley-api/parley/models"
)

// GraphFormats lists the graph formats, the default first (the registry's AtGraph).
var GraphFormats = Names(AtGraph)

// D3Graph is what d3-force takes: d3.forceSimulation(g.nodes) with
// d3.forceLink(g.links).id(d => d.id); value is the number of shared events.
type D3Graph struct {
	Nodes []models.GraphNode `json:"nodes"`
	Links []D3Link           `json:"links"`
}

// D3Link is one d3-force link.
type D3Link struct {
	Source string `json:"source"`
	Target string `json:"target"`
	Value  int64  `json:"value"`
}

// D3 encodes g for d3-force.
func D3(g *models.Graph) D3Graph {
	out := D3Graph{Nodes: g.Nodes, Links: make([]D3Link, len(g.Edges))}
	if out.Nodes == nil {
		out.Nodes = []models.GraphNode{}
	}
	for i, e := range g.Edges {
		out.Links[i] = D3Link{Source: e.Source.String(), Target: e.Target.String(), Value: e.Weight}
	}
	return out
}

// CytoscapeGraph is what cytoscape({elements: …}) takes.
type CytoscapeGraph struct {
	Elements CytoscapeElements `json:"elements"`
}

// CytoscapeElements are the nodes and edges of a Cytoscape.js graph.
type CytoscapeElements struct {
	Nodes []CytoscapeNode `json:"nodes"`
	Edges []CytoscapeEdge `json:"edges"`
}

// CytoscapeNode wraps a node's data.
type CytoscapeNode struct {
	Data models.GraphNode `json:"data"`
}

// CytoscapeEdge wraps an edge's data.
type CytoscapeEdge struct {
	Data CytoscapeEdgeData `json:"data"`
}

// CytoscapeEdgeData is an edge with the id Cytoscape.js requires.
type CytoscapeEdgeData struct {
	ID     string `json:"id"`
	Source string `json:"source"`
	Target string `json:"target"`
	Weight int64  `json:"weight"`
}

// Cytoscape encodes g for Cytoscape.js.
func Cytoscape(g *models.Graph) CytoscapeGraph {
	out := CytoscapeGraph{Elements: CytoscapeElements{
		Nodes: make([]CytoscapeNode, len(g.Nodes)), Edges: make([]CytoscapeEdge, len(g.Edges))}}
	for i, n := range g.Nodes {
		out.Elements.Nodes[i] = CytoscapeNode{Data: n}
	}
	for i, e := range g.Edges {
		out.Elements.Edges[i] = CytoscapeEdge{Data: CytoscapeEdgeData{
			ID: e.Source.String() + "-" + e.Target.String(), Source: e.Source.String(), Target: e.Target.String(), Weight: e.Weight}}
	}
	return out
}

// gexf is the GEXF 1.3 document: an undirected static graph with node attributes kind,
// slug and events, and edge weights.
type gexf struct {
	XMLName xml.Name  `xml:"http://gexf.net/1.3 gexf"`
	Version string    `xml:"version,attr"`
	Meta    gexfMeta  `xml:"meta"`
	Graph   gexfGraph `xml:"graph"`
}

type gexfMeta struct {
	Creator     string `xml:"creator"`
	Description string `xml:"description"`
}

type gexfGraph struct {
	DefaultEdgeType string         `xml:"defaultedgetype,attr"`
	Attributes      gexfAttributes `xml:"attributes"`
	Nodes           []gexfNode     `xml:"nodes>node"`
	Edges           []gexfEdge     `xml:"edges>edge"`
}

type gexfAttributes struct {
	Class      string          `xml:"class,attr"`
	Attributes []gexfAttribute `xml:"attribute"`
}

type gexfAttribute struct {
	ID    string `xml:"id,attr"`
	Title string `xml:"title,attr"`
	Type  string `xml:"type,attr"`
}

type gexfNode struct {
	ID     string          `xml:"id,attr"`
	Label  string          `xml:"label,attr"`
	Values []gexfAttrValue `xml:"attvalues>attvalue"`
}

type gexfAttrValue struct {
	For   string `xml:"for,attr"`
	Value string `xml:"value,attr"`
}

type gexfEdge struct {
	ID     string `xml:"id,attr"`
	Source string `xml:"source,attr"`
	Target string `xml:"target,attr"`
	Weight int64  `xml:"weight,attr"`
}

// GEXF writes g as a GEXF 1.3 file for Gephi.
func GEXF(w io.Writer, g *models.Graph) error {
	doc := gexf{Version: "1.3",
		Meta: gexfMeta{Creator: "parley", Description: "co-participation in diplomatic events; edge weight = shared events"},
		Graph: gexfGraph{DefaultEdgeType: "undirected", Attributes: gexfAttributes{Class: "node", Attributes: []gexfAttribute{
			{ID: "kind", Title: "kind", Type: "string"}, {ID: "slug", Title: "slug", Type: "string"}, {ID: "events", Title: "events", Type: "long"},
		}}}}
	for _, n := range g.Nodes {
		doc.Graph.Nodes = append(doc.Graph.Nodes, gexfNode{ID: n.ID.String(), Label: n.Label, Values: []gexfAttrValue{
			{For: "kind", Value: string(n.Kind)}, {For: "slug", Value: n.Slug}, {For: "events", Value: strconv.FormatInt(n.Events, 10)},
		}})
	}
	for i, e := range g.Edges {
		doc.Graph.Edges = append(doc.Graph.Edges, gexfEdge{ID: strconv.Itoa(i), Source: e.Source.String(), Target: e.Target.String(), Weight: e.Weight})
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}
