// Package rules holds wslint's rules, one per file, each with its
// documentation beside its code and its fixtures in testdata/rules/<ID>/.
package rules

import "github.com/wslint/wslint/lint"

// All is every built-in rule, sorted by ID.
var All = []*lint.Rule{
	SyntaxError,
	UnknownDirective,
	IncludeNotFound,
	DirectiveNotAllowedHere,
	DuplicateDirective,
	InvalidTimeValue,
	UndefinedVariable,
	IncludeCycle,
	IncludeNotFollowed,
	InvalidArgumentCount,
	InvalidVariableSyntax,
	DirectiveNotInTarget,
	InvalidArgumentValue,
	UpgradeHeadersMissing,
	UpgradeHeadersIncomplete,
	HTTPVersionTooOld,
	InheritedHeadersDropped,
	UpgradeHardcoded,
	ConnectionFromClient,
	ConnectionUpgradeUnconditional,
	HandshakeHeadersStripped,
	HandlerCannotTunnel,
	WebsocketResponseCached,
	HostNotForwarded,
	WebSocketPathRedirected,
	EndpointPathRedirected,
	HostHeaderDuplicated,
	WebSocketLocationUnreachable,
	WebSocketPathNotProxied,
	IdleTimeoutShort,
	NamedLocationSettingsIgnored,
	WorkerShutdownTimeoutMissing,
	H2CUpgradeForwarded,
	KeepaliveDefeated,
	ResolverMissing,
	PlaintextHTTP2Listen,
	StickySessionsMissing,
	UpstreamSNIMissing,
	UnitJSONSyntax,
	UnitSchema,
	UnitPassInvalid,
	UnitProxyWebSocket,
	UnitAppCannotWebSocket,
	UnitWebSocketTimeouts,
	UnitVersionWebSocketBugs,
	UnitRuntimeApplyFailure,
	UnitFrameSizeOverASGICap,
	UnitUnsupported,
	UnitInvalidValue,
	InvalidSuppression,
	UnusedSuppression,
	InternalError,
}

// Registry is the validated registry of All.
var Registry = lint.MustRegistry(All...)
