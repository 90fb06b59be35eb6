"""Every neonize call, event class, enum member and protobuf field the adapter uses exists in the installed neonize,
with the signature the adapter calls it with: an upgrade that renames or reshapes one fails here, not in production.

What is checked is read from the adapter, not listed again here: the `Neonize` table (event classes, enums, errors,
protobuf messages), the `WhatsAppClient` protocol (every client call the session makes, with its parameters), the
`EVENT_FIELDS` / `ENUM_MEMBERS` / `CLIENT_KEYWORDS` / `FACTORY_CALLS` tables of integrations/whatsapp/client.py,
and mapping.py's Protocols for the fields of a `MessageEv` (Info.MessageSource.SenderAlt, Info.Timestamp, …).
"""

from __future__ import annotations

import base64
import hashlib
import inspect
import re
import tomllib
import typing
from importlib.metadata import files, version
from pathlib import Path
from typing import Any

import pytest
from google.protobuf.descriptor import Descriptor, FieldDescriptor

from booking_bot.settings import PROJECT_ROOT
from integrations.whatsapp import client as adapter
from integrations.whatsapp import mapping
from integrations.whatsapp.sending import PauseReason, pause_signal

API = adapter.load_neonize()

from neonize import exc as neonize_errors  # noqa: E402 - after load_neonize() silenced its import warnings
from neonize.aioze import client as neonize_client  # noqa: E402
from neonize.aioze import events as neonize_events  # noqa: E402
from neonize.events import EVENT_TO_INT  # noqa: E402

SCALARS = {
    str: {FieldDescriptor.CPPTYPE_STRING},
    int: {
        FieldDescriptor.CPPTYPE_INT32,
        FieldDescriptor.CPPTYPE_INT64,
        FieldDescriptor.CPPTYPE_UINT32,
        FieldDescriptor.CPPTYPE_UINT64,
        FieldDescriptor.CPPTYPE_ENUM,
    },
    bool: {FieldDescriptor.CPPTYPE_BOOL},
}


def protocol_members(protocol: type) -> dict[str, Any]:
    return {
        name: member
        for name, member in vars(protocol).items()
        if not name.startswith("_") and (callable(member) or isinstance(member, property))
    }


def field_at(descriptor: Descriptor, path: str) -> FieldDescriptor:
    """The field a dotted path names, walking into message fields (and into a repeated field's elements)."""
    field: FieldDescriptor | None = None
    for part in path.split("."):
        assert descriptor is not None, f"{path}: {part} is below a scalar"
        field = descriptor.fields_by_name.get(part)
        assert field is not None, f"{descriptor.full_name} has no field {part!r} ({path})"
        descriptor = field.message_type
    assert field is not None
    return field


def protocol_fields(protocol: type, prefix: str = "") -> dict[str, Any]:
    """mapping.py's Protocol → {dotted field path: annotated type}, nested Protocols walked."""
    hints: dict[str, Any] = {}
    namespace = vars(mapping)
    for name, annotation in typing.get_type_hints(protocol, namespace).items():
        hints[prefix + name] = annotation
    for name, member in vars(protocol).items():
        if isinstance(member, property) and member.fget is not None:
            hints[prefix + name] = typing.get_type_hints(member.fget, namespace)["return"]
    found: dict[str, Any] = {}
    for path, annotation in hints.items():
        if isinstance(annotation, type) and getattr(annotation, "_is_protocol", False):
            found[path] = annotation
            found.update(protocol_fields(annotation, path + "."))
        else:
            found[path] = annotation
    return found


def test_the_installed_neonize_is_the_pinned_version() -> None:
    project = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    pinned = next(d for d in project["project"]["dependencies"] if d.startswith("neonize"))
    assert pinned == f"neonize=={version('neonize')}"


def test_every_event_class_the_session_registers_exists_and_can_be_subscribed_to() -> None:
    names = [name for name in adapter.Neonize.__dataclass_fields__ if name.endswith("Ev")]
    assert len(names) >= 15
    for name in names:
        event_class = getattr(API, name)
        assert event_class is getattr(neonize_events, name)
        assert event_class in EVENT_TO_INT, f"{name} cannot be registered with client.event()"


@pytest.mark.parametrize("name", sorted(protocol_members(adapter.WhatsAppClient)))
def test_every_client_call_the_session_makes_exists_with_that_signature(name: str) -> None:
    ours = protocol_members(adapter.WhatsAppClient)[name]
    instance = neonize_client.NewAClient("signature-check.sqlite3", uuid="signature-check")
    if isinstance(ours, property):
        real_attribute = inspect.getattr_static(neonize_client.NewAClient, name)
        assert isinstance(real_attribute, property), f"NewAClient.{name} is no longer a property"
        value = getattr(instance, name)
        assert inspect.isawaitable(value), f"NewAClient.{name} no longer gives an awaitable"
        value.close()  # not awaited: it would call the Go side
        return
    real = getattr(instance, name)
    assert inspect.iscoroutinefunction(real) == inspect.iscoroutinefunction(ours), f"{name}: async changed"
    compatible(name, inspect.signature(ours), inspect.signature(real))


def compatible(name: str, ours: inspect.Signature, real: inspect.Signature) -> None:
    """Every argument the adapter passes is accepted, and the adapter passes every argument the call requires."""
    kinds = inspect.Parameter
    ours_params = [p for p in ours.parameters.values() if p.name != "self"]
    real_params = list(real.parameters.values())
    real_positional = [p for p in real_params if p.kind in (kinds.POSITIONAL_ONLY, kinds.POSITIONAL_OR_KEYWORD)]
    real_names = {p.name: p for p in real_params}
    has_var_positional = any(p.kind is kinds.VAR_POSITIONAL for p in real_params)
    passed_positionally = 0
    passed_by_name: set[str] = set()
    for param in ours_params:
        if param.kind is kinds.VAR_POSITIONAL:
            assert has_var_positional, f"{name}: no longer takes *{param.name}"
        elif param.kind is kinds.KEYWORD_ONLY:
            theirs = real_names.get(param.name)
            assert theirs is not None and theirs.kind in (kinds.KEYWORD_ONLY, kinds.POSITIONAL_OR_KEYWORD), (
                f"{name}: no keyword {param.name!r}"
            )
            passed_by_name.add(param.name)
        else:
            assert passed_positionally < len(real_positional) or has_var_positional, f"{name}: fewer positionals"
            if passed_positionally < len(real_positional):
                passed_by_name.add(real_positional[passed_positionally].name)
            passed_positionally += 1
    required = {
        p.name
        for p in real_params
        if p.default is inspect.Parameter.empty and p.kind not in (kinds.VAR_POSITIONAL, kinds.VAR_KEYWORD)
    }
    assert required <= passed_by_name, f"{name}: now also requires {sorted(required - passed_by_name)}"


def test_clients_are_built_with_the_keywords_and_class_calls_the_factory_uses() -> None:
    parameters = inspect.signature(neonize_client.NewAClient).parameters
    assert next(iter(parameters)) == "name"  # the session database, first and positional
    for keyword in adapter.CLIENT_KEYWORDS:
        assert keyword in parameters, f"NewAClient has no {keyword!r}"
    for call in adapter.FACTORY_CALLS:
        member = inspect.getattr_static(neonize_client.ClientFactory, call)
        assert isinstance(member, staticmethod), f"ClientFactory.{call} is no longer a static method"
        assert len(inspect.signature(member.__func__).parameters) == 1  # (database)
    build = inspect.signature(API.build_jid).parameters
    assert len(build) >= 2  # build_jid(user) and build_jid(user, server)


def test_every_error_a_client_call_raises_is_a_neonize_error() -> None:
    # The session and the watchdog catch NeonizeError around client calls (SubscribePresenceError, …).
    errors = [c for _, c in inspect.getmembers(neonize_errors, inspect.isclass) if issubclass(c, Exception)]
    outside = [c.__name__ for c in errors if c is not API.NeonizeError and not issubclass(c, API.NeonizeError)]
    assert outside == [] and issubclass(API.SendMessageError, API.NeonizeError)


def test_every_enum_member_the_adapter_uses_exists() -> None:
    for enum_name, members in adapter.ENUM_MEMBERS.items():
        enum = getattr(API, enum_name)
        for member in members:
            assert member in enum.__members__, f"{enum_name}.{member} is gone"


@pytest.mark.parametrize("event_name", sorted(adapter.EVENT_FIELDS))
def test_every_field_the_session_reads_from_an_event_exists(event_name: str) -> None:
    descriptor = getattr(API, event_name).DESCRIPTOR
    for path in adapter.EVENT_FIELDS[event_name]:
        field_at(descriptor, path)


def test_every_message_field_mapping_reads_exists_with_its_type() -> None:
    fields = protocol_fields(mapping.MessageEvent)
    assert {"Info.MessageSource.SenderAlt", "Info.Timestamp", "Info.ID", "Message.conversation"} <= set(fields)
    for path, annotation in fields.items():
        field = field_at(API.MessageEv.DESCRIPTOR, path)
        if getattr(annotation, "_is_protocol", False):
            assert field.message_type is not None, f"{path} is no longer a message"
        else:
            assert field.cpp_type in SCALARS[annotation], f"{path}: {annotation.__name__} expected"


def test_the_protobuf_messages_a_replayed_message_is_built_from_take_these_fields() -> None:
    sources = re.findall(r"api\.(MessageSource|MessageInfo|JID|MessageEv)\(", inspect.getsource(adapter))
    assert set(sources) == {"MessageSource", "MessageInfo", "JID", "MessageEv"}
    event = adapter.message_event(
        API, "3EB0SIG", adapter.parse_jid(API, "351912345678@s.whatsapp.net"), None, timestamp_ms=1
    )
    assert API.MessageEv.FromString(event.SerializeToString()).Info.ID == "3EB0SIG"  # every required field set


def shipped_go_library() -> tuple[Path, Any]:
    """The Go library the installed neonize wheel put next to its code, and its hash in the wheel's RECORD."""
    [entry] = [
        f for f in files("neonize") or () if f.name.startswith("neonize-") and f.suffix in (".so", ".dylib", ".dll")
    ]
    return Path(str(entry.locate())), entry.hash


def test_the_go_library_is_the_one_the_installed_wheel_shipped() -> None:
    # neonize downloads another Go library at import when its own is missing or of another version: these tests
    # would then check that one, not what `pip install` put in production.
    library, record = shipped_go_library()
    digest = base64.urlsafe_b64encode(hashlib.sha256(library.read_bytes()).digest()).rstrip(b"=").decode()
    assert record is not None and (record.mode, record.value) == ("sha256", digest)


def test_the_error_texts_the_automatic_pause_reads_are_still_in_the_go_library() -> None:
    # A send refused by WhatsApp is told only as whatsmeow's error text (sending.py reads it): renamed upstream, the
    # number would keep sending into a rate limit or a reach-out lock instead of pausing.
    binary = shipped_go_library()[0].read_bytes()
    for text in (b"server returned error", b"info query returned status %d: %s", b"rate-overlimit"):
        assert text in binary, text
    assert pause_signal("server returned error 463") is PauseReason.REACH_OUT_LOCK
    assert pause_signal("info query returned status 429: rate-overlimit") is PauseReason.RATE_LIMIT
