package models

// GraphNode is an actor in a co-participation graph.
type GraphNode struct {
	ID     ID        `json:"id"`
	Slug   string    `json:"slug"`
	Label  string    `json:"label"`
	Kind   ActorKind `json:"kind"`
	Events int64     `json:"events"`
}

// GraphEdge joins two actors who took part in Weight events together; Source < Target.
type GraphEdge struct {
	Source ID    `json:"source"`
	Target ID    `json:"target"`
	Weight int64 `json:"weight"`
}

// Graph is the co-participation network of a set of events: who took part in events
// with whom, and how often. It lives here so that both the store (which computes it)
// and the formats (which encode it for plotting tools) can use it.
type Graph struct {
	Nodes []GraphNode `json:"nodes"`
	Edges []GraphEdge `json:"edges"`
	// TotalEdges counts the edges before a limit kept the heaviest; the API sends it
	// as a header, since the plotting formats have no place for it.
	TotalEdges int64 `json:"-"`
}
