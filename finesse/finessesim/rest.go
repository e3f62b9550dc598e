package finessesim

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"net/http"
	"time"
)

// restHandler is the node's Finesse REST API. Every request passes, in this
// order: the fault injector (status/latency), Basic authentication with
// lock-out, the OUT_OF_SERVICE gate (everything but SystemInfo answers 503),
// then the route table.
func (n *Node) restHandler() http.Handler {
	mux := http.NewServeMux()
	n.routes(mux)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !n.applyFault(w, r) {
			return
		}
		if n.ssoGate(w, r, func(user string) { n.serveAuthed(w, r, mux, user) }) { // ids_auth.go
			return
		}
		user, pass, ok := r.BasicAuth()
		if !ok && n.sim.cfg.OpenSystemInfo && r.Method == http.MethodGet && r.URL.Path == "/finesse/api/SystemInfo" {
			mux.ServeHTTP(w, r)
			return
		}
		if !ok {
			w.Header().Set("WWW-Authenticate", `Basic realm="Finesse"`)
			writeAPIError(w, http.StatusUnauthorized, "Authorization Failure", "UNAUTHORIZED", "")
			return
		}
		if err := n.sim.checkPassword(user, pass); err != nil {
			msg := "UNAUTHORIZED"
			if errors.Is(err, errLocked) {
				// Simulator choice: the reference documents the lock-out but not
				// its error text.
				msg = "ACCOUNT_LOCKED"
			}
			w.Header().Set("WWW-Authenticate", `Basic realm="Finesse"`)
			writeAPIError(w, http.StatusUnauthorized, "Authorization Failure", msg, "")
			return
		}
		n.serveAuthed(w, r, mux, user)
	})
}

// serveAuthed serves a request of an authenticated user: everything but
// SystemInfo answers 503 while the node is OUT_OF_SERVICE.
func (n *Node) serveAuthed(w http.ResponseWriter, r *http.Request, mux *http.ServeMux, user string) {
	if r.URL.Path != "/finesse/api/SystemInfo" && !n.sim.inService(n) {
		writeAPIError(w, http.StatusServiceUnavailable, "Service Unavailable", "SERVER_OUT_OF_SERVICE", "")
		return
	}
	mux.ServeHTTP(w, r.WithContext(withUser(r.Context(), user)))
}

// routes is the one route table of the Finesse REST API (reference §2).
func (n *Node) routes(mux *http.ServeMux) {
	const api = "/finesse/api"
	mux.HandleFunc("GET "+api+"/SystemInfo", n.getSystemInfo)
	// User/{id}/MediaPropertiesLayout(s): layout.go
	n.layoutRoutes(mux, api)
	mux.HandleFunc("GET "+api+"/User/{id}", n.getUser)                                 // id: loginId
	mux.HandleFunc("PUT "+api+"/User/{id}", n.putUser)                                 // body: User{state,extension,reasonCodeId}
	mux.HandleFunc("GET "+api+"/User/{id}/Dialogs", n.getDialogs)                      //
	mux.HandleFunc("POST "+api+"/User/{id}/Dialogs", n.postDialogs)                    // body: Dialog{requestedAction=MAKE_CALL,...}
	mux.HandleFunc("GET "+api+"/Dialog/{did}", n.getDialog)                            //
	mux.HandleFunc("PUT "+api+"/Dialog/{did}", n.putDialog)                            // body: Dialog{requestedAction,...}
	mux.HandleFunc("GET "+api+"/User/{id}/ReasonCodes", n.getUserReasonCodes)          // ?category=NOT_READY|LOGOUT
	mux.HandleFunc("GET "+api+"/User/{id}/ReasonCode/{rid}", n.getUserReasonCode)      //
	mux.HandleFunc("GET "+api+"/TeamResource/{tid}/ReasonCodes", n.getTeamReasonCodes) // ?category=NOT_READY|LOGOUT|ALL
	mux.HandleFunc("GET "+api+"/User/{id}/WrapUpReasons", n.getUserWrapUps)            //
	mux.HandleFunc("GET "+api+"/TeamResource/{tid}/WrapUpReasons", n.getTeamWrapUps)   //
	mux.HandleFunc("GET "+api+"/User/{id}/PhoneBooks", n.getUserPhoneBooks)            //
	mux.HandleFunc("GET "+api+"/TeamResource/{tid}/PhoneBooks", n.getTeamPhoneBooks)   //
	mux.HandleFunc("GET "+api+"/PhoneBook/{pid}/Contacts", n.getContacts)              //
	mux.HandleFunc("GET "+api+"/User/{id}/Queues", n.getUserQueues)                    //
	mux.HandleFunc("GET "+api+"/Queue/{qid}", n.getQueue)
	mux.HandleFunc("GET "+api+"/Team/{tid}", n.getTeam)                      //
	mux.HandleFunc("GET "+api+"/Team/{tid}/TeamMessages", n.getTeamMessages) // queue_board.go
	n.mediaRoutes(mux, api)                                                  // media.go: non-voice MRDs
	mux.HandleFunc("GET "+api+"/Devices", n.getDevices)                      // mobile.go: ?extension=
	mux.HandleFunc("POST "+api+"/User/{id}/ClientLog", n.postClientLog)      // clientlog.go
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeAPIError(w, http.StatusNotFound, "Not Found", "Resource not found", r.URL.Path)
	})
}

// applyFault applies the injected fault; it reports whether to continue.
func (n *Node) applyFault(w http.ResponseWriter, r *http.Request) bool {
	f := n.takeFault()
	if f.Latency > 0 {
		// Read the body first: net/http notices a closed connection (the
		// client gave up, or the node stopped) and cancels r.Context() only
		// once the body is read, so the wait below ends with it.
		body, err := io.ReadAll(io.LimitReader(r.Body, 64<<10))
		if err != nil {
			return false
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		t := time.NewTimer(f.Latency)
		defer t.Stop()
		select {
		case <-t.C:
		case <-r.Context().Done():
			return false
		}
	}
	if f.Status == 0 {
		return true
	}
	typ, msg := "Internal Server Error", "RUNTIME_EXCEPTION"
	if f.Status == http.StatusServiceUnavailable {
		typ, msg = "Service Unavailable", "SERVER_OUT_OF_SERVICE"
	}
	writeAPIError(w, f.Status, typ, msg, "")
	return false
}

// writeXML writes a 200 XML body with the given root element.
func writeXML(w http.ResponseWriter, v any, root string) {
	body := encodeRoot(v, root)
	w.Header().Set("Content-Type", "application/xml")
	w.WriteHeader(http.StatusOK)
	w.Write(body)
}

// writeAPIError writes a synchronous Finesse error (reference §5).
func writeAPIError(w http.ResponseWriter, status int, typ, msg, data string) {
	body, _ := xml.Marshal(wireAPIErrors{Errors: []wireAPIError{{ErrorType: typ, ErrorMessage: msg, ErrorData: data}}})
	w.Header().Set("Content-Type", "application/xml")
	w.WriteHeader(status)
	w.Write(body)
}

// apiErr is a synchronous REST failure produced by the model.
type apiErr struct {
	Status              int
	Type, Message, Data string
}

func (e *apiErr) Error() string { return e.Type + ": " + e.Message }

func writeErr(w http.ResponseWriter, err error) {
	var ae *apiErr
	if errors.As(err, &ae) {
		writeAPIError(w, ae.Status, ae.Type, ae.Message, ae.Data)
		return
	}
	writeAPIError(w, http.StatusInternalServerError, "Internal Server Error", "RUNTIME_EXCEPTION", "")
}

func badRequest(typ, msg, data string) error {
	return &apiErr{Status: http.StatusBadRequest, Type: typ, Message: msg, Data: data}
}

// decodeBody reads an XML request body of at most 64 KiB.
func decodeBody(r *http.Request, v any) error {
	b, err := io.ReadAll(io.LimitReader(r.Body, 64<<10))
	if err != nil {
		return badRequest("Bad Request", "Unreadable request body", "")
	}
	if err := xml.Unmarshal(b, v); err != nil {
		return badRequest("Bad Request", "Invalid XML in request body", err.Error())
	}
	return nil
}

// accepted answers an accepted asynchronous PUT/POST.
func accepted(w http.ResponseWriter) { w.WriteHeader(http.StatusAccepted) }
