package core

// SystemStatus is Finesse's SystemInfo status as the app sees it.
type SystemStatus string

// System statuses. Anything Finesse reports other than IN_SERVICE (such as
// PARTIAL_SERVICE) is OUT_OF_SERVICE to us: not usable.
const (
	InService    SystemStatus = "IN_SERVICE"
	OutOfService SystemStatus = "OUT_OF_SERVICE"
)

// Node names a Finesse side.
type Node string

// Finesse sides.
const (
	NodeA Node = "A"
	NodeB Node = "B"
)

// System is the state of the agent's link to Finesse.
type System struct {
	Status        SystemStatus
	Node          Node   // the side in use; "" before the first connection
	Host          string // host of the side in use
	XMPPConnected bool
	// Reason says why the system is out of service, in words for the agent
	// ("side A unreachable, trying side B").
	Reason string
}

// ReasonCategory selects a reason code list.
type ReasonCategory string

// Reason code categories.
const (
	CategoryNotReady ReasonCategory = "NOT_READY"
	CategoryLogout   ReasonCategory = "LOGOUT"
)

// ReasonCode is a Not Ready or Logout reason. ID is what Finesse wants as
// reasonCodeId (the last segment of the code's uri); Code is the number the
// contact centre shows.
type ReasonCode struct {
	ID       string
	Category ReasonCategory
	Code     string
	Label    string
}

// WrapUpReason is a configured wrap-up reason. Finesse applies it by label.
type WrapUpReason struct {
	ID    string
	Label string
}

// Contact is a phone-book entry.
type Contact struct {
	PhoneBook string
	BookType  string // GLOBAL or TEAM (Finesse's PhoneBook type); may be ""

	FirstName   string
	LastName    string
	Number      string
	Description string
}
