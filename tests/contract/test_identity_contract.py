"""The `IdentityStore` part of the store contract (SQLite file, SQLite memory, Supabase over the PostgREST fake):
a customer's phone and `@lid` forms land on one identity whichever arrives first, in any order."""

from __future__ import annotations

from datetime import timedelta

from booking_bot.domain import ChatForms
from booking_bot.ports import Store
from tests.contract.test_store_contract import NOW
from tests.contract.test_store_contract import store as store  # the parametrised store fixture

PHONE = "+5511987654321"
LID = "123456789012345@lid"
PHONE_CHAT = "5511987654321@s.whatsapp.net"


async def test_phone_first_then_lid_is_one_identity_under_the_phone_chat(store: Store) -> None:
    first = await store.link_identity("acme", ChatForms(phone=PHONE, address="551187654321@s.whatsapp.net"), PHONE_CHAT)
    assert first.customer_id == PHONE_CHAT and first.phone == PHONE and first.lid is None
    assert first.first_seen == NOW and first.address == "551187654321@s.whatsapp.net"
    linked = await store.link_identity("acme", ChatForms(phone=PHONE, lid=LID, address=LID), LID)
    assert linked.customer_id == PHONE_CHAT and linked.lid == LID and linked.address == LID
    lid_only = await store.link_identity("acme", ChatForms(lid=LID, address=LID), LID)
    assert lid_only.customer_id == PHONE_CHAT and lid_only.phone == PHONE
    for found in (
        await store.find_identity("acme", lid=LID),
        await store.find_identity("acme", phone=PHONE),
        await store.find_identity("acme", customer_id=PHONE_CHAT),
    ):
        assert found == lid_only


async def test_lid_first_then_phone_keeps_the_lid_id_for_good(store: Store) -> None:
    first = await store.link_identity("acme", ChatForms(lid=LID, address=LID), LID)
    assert first.customer_id == LID and first.phone is None
    both = await store.link_identity("acme", ChatForms(lid=LID, phone=PHONE, address=LID), PHONE_CHAT)
    assert both.customer_id == LID and both.phone == PHONE
    phone_only = await store.link_identity("acme", ChatForms(phone=PHONE, address=PHONE_CHAT), PHONE_CHAT)
    assert phone_only.customer_id == LID and phone_only.address == PHONE_CHAT


async def test_lid_and_phone_known_apart_join_the_older_identity(store: Store) -> None:
    older = await store.link_identity("acme", ChatForms(phone=PHONE, address=PHONE_CHAT), PHONE_CHAT)
    younger = await store.link_identity("acme", ChatForms(lid=LID, address=LID), LID)
    assert younger.customer_id == LID
    joined = await store.link_identity("acme", ChatForms(phone=PHONE, lid=LID, address=LID), LID)
    assert joined.customer_id == older.customer_id == PHONE_CHAT and joined.lid == LID
    left = await store.find_identity("acme", customer_id=LID)
    assert left is not None and left.lid is None and left.phone is None  # its id stays; its form moved
    assert (await store.find_identity("acme", lid=LID)) == joined


async def test_identities_are_per_company(store: Store) -> None:
    await store.link_identity("acme", ChatForms(phone=PHONE), PHONE_CHAT)
    assert await store.find_identity("other", phone=PHONE) is None
    theirs = await store.link_identity("other", ChatForms(phone=PHONE, lid=LID), LID)
    assert theirs.company_id == "other" and theirs.customer_id == LID
    assert (await store.find_identity("acme", phone=PHONE)) is not None
    assert await store.find_identity("acme", lid=LID) is None


async def test_opt_in_is_recorded_once_and_kept_through_links(store: Store) -> None:
    assert not await store.record_opt_in("acme", PHONE_CHAT, NOW)  # nobody to opt in yet
    await store.link_identity("acme", ChatForms(phone=PHONE), PHONE_CHAT)
    assert await store.record_opt_in("acme", PHONE_CHAT, NOW)
    assert await store.record_opt_in("acme", PHONE_CHAT, NOW + timedelta(days=1))  # known: the first one stays
    linked = await store.link_identity("acme", ChatForms(phone=PHONE, lid=LID, address=LID), LID)
    assert linked.opted_in_at == NOW
    found = await store.find_identity("acme", lid=LID)
    assert found is not None and found.opted_in_at == NOW


async def test_unknown_forms_find_nothing(store: Store) -> None:
    assert await store.find_identity("acme") is None
    assert await store.find_identity("acme", phone=PHONE, lid=LID, customer_id=PHONE_CHAT) is None
