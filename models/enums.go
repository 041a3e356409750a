package models

import "slices"

// ActorKind says what sort of actor takes part or speaks.
type ActorKind string

// The actor kinds.
const (
	ActorPerson       ActorKind = "person"
	ActorState        ActorKind = "state"
	ActorOrganization ActorKind = "organization"
	ActorDelegation   ActorKind = "delegation"
	ActorGroup        ActorKind = "group"
)

// ActorKinds lists every ActorKind, for validation and documentation.
var ActorKinds = []ActorKind{ActorPerson, ActorState, ActorOrganization, ActorDelegation, ActorGroup}

// EventType is the diplomatic form an event took.
type EventType string

// The event types.
const (
	EventMeeting     EventType = "meeting"
	EventNegotiation EventType = "negotiation"
	EventSummit      EventType = "summit"
	EventCall        EventType = "call"
	EventVisit       EventType = "visit"
	EventStatement   EventType = "statement"
	EventAgreement   EventType = "agreement"
	EventConference  EventType = "conference"
	EventOther       EventType = "other"
)

// EventTypes lists every EventType.
var EventTypes = []EventType{EventMeeting, EventNegotiation, EventSummit, EventCall, EventVisit,
	EventStatement, EventAgreement, EventConference, EventOther}

// EventStatus says whether an event happened.
type EventStatus string

// The event statuses.
const (
	StatusScheduled EventStatus = "scheduled"
	StatusHeld      EventStatus = "held"
	StatusPostponed EventStatus = "postponed"
	StatusCancelled EventStatus = "cancelled"
)

// EventStatuses lists every EventStatus.
var EventStatuses = []EventStatus{StatusScheduled, StatusHeld, StatusPostponed, StatusCancelled}

// Role is the part a participant played in an event.
type Role string

// The participant roles.
const (
	RoleHost             Role = "host"
	RoleMediator         Role = "mediator"
	RoleDelegation       Role = "delegation"
	RoleHeadOfDelegation Role = "head_of_delegation"
	RoleEnvoy            Role = "envoy"
	RoleParticipant      Role = "participant"
	RoleObserver         Role = "observer"
)

// Roles lists every Role.
var Roles = []Role{RoleHost, RoleMediator, RoleDelegation, RoleHeadOfDelegation, RoleEnvoy,
	RoleParticipant, RoleObserver}

// RelationType types a link from one event to another.
type RelationType string

// The relation types, read as "this event <type> the other".
const (
	RelationFollows    RelationType = "follows"
	RelationPrecedes   RelationType = "precedes"
	RelationPartOf     RelationType = "part_of"
	RelationReferences RelationType = "references"
)

// RelationTypes lists every RelationType.
var RelationTypes = []RelationType{RelationFollows, RelationPrecedes, RelationPartOf, RelationReferences}

// Action is what a revision recorded.
type Action string

// The revision actions.
const (
	ActionCreate Action = "create"
	ActionUpdate Action = "update"
	ActionDelete Action = "delete"
	// ActionMerge is a merged entity's last revision: its state before the merge, with
	// merged_into naming the survivor, which every reference now names.
	ActionMerge Action = "merge"
)

// Valid reports whether k is a known kind.
func (k ActorKind) Valid() bool { return slices.Contains(ActorKinds, k) }

// Valid reports whether t is a known type.
func (t EventType) Valid() bool { return slices.Contains(EventTypes, t) }

// Valid reports whether s is a known status.
func (s EventStatus) Valid() bool { return slices.Contains(EventStatuses, s) }

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return slices.Contains(Roles, r) }

// Valid reports whether t is a known relation type.
func (t RelationType) Valid() bool { return slices.Contains(RelationTypes, t) }
