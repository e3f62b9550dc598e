package finesse

// The fast decoder's readers for each wire struct under Update/data. Each
// mirrors the struct tags in wire.go (see notifyfast.go for the rules).

func scanData(x *xscan, n string, e bool, d *wireData) bool {
	return x.children(n, e, func(n string, e bool) bool {
		switch {
		case is(n, "user"):
			if d.User == nil {
				d.User = &wireUser{}
			}
			return scanUser(x, n, e, d.User)
		case is(n, "dialog"):
			if d.Dialog == nil {
				d.Dialog = &wireDialog{}
			}
			return scanDialog(x, n, e, d.Dialog)
		case is(n, "dialogs"):
			if d.Dialogs == nil {
				d.Dialogs = &wireDialogs{}
			}
			return x.children(n, e, func(n string, e bool) bool {
				if !is(n, "dialog") {
					return x.skip(n, e)
				}
				d.Dialogs.Dialogs = append(d.Dialogs.Dialogs, wireDialog{})
				return scanDialog(x, n, e, &d.Dialogs.Dialogs[len(d.Dialogs.Dialogs)-1])
			})
		case is(n, "systeminfo"):
			if d.SystemInfo == nil {
				d.SystemInfo = &wireSystemInfo{}
			}
			return scanSystemInfo(x, n, e, d.SystemInfo)
		case is(n, "apierrors"):
			if d.APIErrors == nil {
				d.APIErrors = &wireAPIErrors{}
			}
			return scanAPIErrors(x, n, e, d.APIErrors)
		}
		return x.skip(n, e)
	})
}

func scanUser(x *xscan, n string, e bool, u *wireUser) bool {
	fs := []field{
		{"uri", &u.URI}, {"loginid", &u.LoginID}, {"loginname", &u.LoginName},
		{"firstname", &u.FirstName}, {"lastname", &u.LastName}, {"extension", &u.Extension},
		{"state", &u.State}, {"statechangetime", &u.StateChange}, {"pendingstate", &u.PendingState},
		{"reasoncodeid", &u.ReasonCodeID}, {"teamid", &u.TeamID}, {"activedeviceid", &u.ActiveDeviceID},
	}
	return x.fields(n, e, fs, func(n string, e bool) (bool, bool) {
		switch {
		case is(n, "reasoncode"):
			if u.ReasonCode == nil {
				u.ReasonCode = &wireReasonCode{}
			}
			rc := u.ReasonCode
			return true, x.fields(n, e, []field{
				{"uri", &rc.URI}, {"id", &rc.ID}, {"category", &rc.Category}, {"code", &rc.Code}, {"label", &rc.Label},
			}, nil)
		case is(n, "settings"):
			return true, x.fields(n, e, []field{{"wrapuponincoming", &u.Settings.WrapUpOnIncoming}}, nil)
		case is(n, "mobileagent"):
			return true, x.fields(n, e, []field{{"mode", &u.MobileMode}, {"dialnumber", &u.MobileDial}}, nil)
		}
		return false, false
	})
}

func scanDialog(x *xscan, n string, e bool, d *wireDialog) bool {
	fs := []field{
		{"uri", &d.URI}, {"id", &d.ID}, {"associateddialoguri", &d.AssociatedURI},
		{"secondaryid", &d.SecondaryID}, {"mediatype", &d.MediaType}, {"state", &d.State},
		{"fromaddress", &d.FromAddress}, {"toaddress", &d.ToAddress},
	}
	return x.fields(n, e, fs, func(n string, e bool) (bool, bool) {
		switch {
		case is(n, "mediaproperties"):
			return true, scanMediaProps(x, n, e, &d.MediaProperties)
		case is(n, "participants"):
			return true, x.children(n, e, func(n string, e bool) bool {
				if !is(n, "participant") {
					return x.skip(n, e)
				}
				d.Participants = append(d.Participants, wireParticipant{})
				return scanParticipant(x, n, e, &d.Participants[len(d.Participants)-1])
			})
		}
		return false, false
	})
}

func scanMediaProps(x *xscan, n string, e bool, m *wireMediaProps) bool {
	fs := []field{
		{"dialednumber", &m.DialedNumber}, {"dnis", &m.DNIS}, {"calltype", &m.CallType},
		{"queuenumber", &m.QueueNumber}, {"queuename", &m.QueueName}, {"wrapupreason", &m.WrapUpReason},
	}
	return x.fields(n, e, fs, func(n string, e bool) (bool, bool) {
		if !is(n, "callvariables") {
			return false, false
		}
		return true, x.children(n, e, func(n string, e bool) bool {
			if !is(n, "callvariable") {
				return x.skip(n, e)
			}
			m.CallVariables = append(m.CallVariables, wireVariable{})
			v := &m.CallVariables[len(m.CallVariables)-1]
			return x.fields(n, e, []field{{"name", &v.Name}, {"value", &v.Value}}, nil)
		})
	})
}

func scanParticipant(x *xscan, n string, e bool, p *wireParticipant) bool {
	fs := []field{
		{"mediaaddress", &p.MediaAddress}, {"mediaaddresstype", &p.MediaAddressType},
		{"starttime", &p.StartTime}, {"statechangetime", &p.StateChange},
		{"state", &p.State}, {"statecause", &p.StateCause},
	}
	return x.fields(n, e, fs, func(n string, e bool) (bool, bool) {
		if !is(n, "actions") {
			return false, false
		}
		return true, x.children(n, e, func(n string, e bool) bool {
			if !is(n, "action") {
				return x.skip(n, e)
			}
			return x.strs(n, e, &p.Actions)
		})
	})
}

func scanSystemInfo(x *xscan, n string, e bool, s *wireSystemInfo) bool {
	fs := []field{
		{"status", &s.Status}, {"statusreason", &s.StatusReason}, {"deploymenttype", &s.DeploymentType},
		{"systemauthmode", &s.SystemAuthMode}, {"finessemmode", &s.FinesseMMode},
		{"xmppdomain", &s.XMPPDomain}, {"xmpppubsubdomain", &s.XMPPPubSubDomain},
	}
	return x.fields(n, e, fs, func(n string, e bool) (bool, bool) {
		switch {
		case is(n, "primarynode"):
			return true, scanNode(x, n, e, &s.PrimaryNode)
		case is(n, "secondarynode"):
			return true, scanNode(x, n, e, &s.SecondaryNode)
		}
		return false, false
	})
}

func scanNode(x *xscan, n string, e bool, w *wireNode) bool {
	return x.fields(n, e, []field{
		{"host", &w.Host}, {"httpsport", &w.HTTPSPort}, {"xmppport", &w.XMPPPort}, {"xmppsecureport", &w.XMPPSecurePort},
	}, nil)
}

func scanAPIErrors(x *xscan, n string, e bool, a *wireAPIErrors) bool {
	return x.children(n, e, func(n string, e bool) bool {
		if !is(n, "apierror") {
			return x.skip(n, e)
		}
		a.Errors = append(a.Errors, wireAPIError{})
		w := &a.Errors[len(a.Errors)-1]
		return x.fields(n, e, []field{{"errortype", &w.Type}, {"errormessage", &w.Message}, {"errordata", &w.Data}}, nil)
	})
}
