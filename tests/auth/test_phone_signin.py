"""Phone sign-in: codes through the SmsSender interface, throttles, attempts, expiry."""

from __future__ import annotations

import asyncio

import pytest

from db.tables.auth import AuthPhoneCode, UserAccount
from resolvers.auth.errors import AuthError, AuthErrorCode
from resolvers.auth.phone_signin import login_with_phone, mask_phone, parse_phone, send_phone_code
from resolvers.auth.sms import set_sms_sender
from resolvers.economy.wallet import balance_of
from tests.auth.conftest import RecordingSender
from tests.fixtures import FakeClock

PHONE = "13812345678"
E164 = "+8613812345678"


def test_phones_are_parsed_to_e164_and_masked() -> None:
    assert parse_phone("138 1234 5678").e164 == E164
    assert parse_phone("+86 138-1234-5678").masked == "+86 138****5678"
    assert mask_phone("+14155550123") == "+1 415***0123"


@pytest.mark.parametrize("raw", ["12345", "not a phone", "+86 000", ""])
async def test_invalid_phones_are_refused_without_a_row(raw: str, sms: RecordingSender) -> None:
    with pytest.raises(AuthError) as refused:
        await send_phone_code(phone=raw)
    assert refused.value.code is AuthErrorCode.PHONE_INVALID
    assert sms.sent == []
    assert await AuthPhoneCode.count() == 0


async def test_a_code_registers_a_new_phone_user_with_ten_points(sms: RecordingSender) -> None:
    # given a code sent to a new phone
    sent = await send_phone_code(phone=PHONE)
    assert (sent.phone.masked, sent.resend_after_seconds, sent.expires_in_seconds) == (
        "+86 138****5678",
        60,
        300,
    )
    # when it is used
    sign_in = await login_with_phone(phone=PHONE, code=sms.last_code())
    # then an account with the phone exists and got its grant
    assert sign_in.user.phone_number_e164 == E164
    assert sign_in.user.phone_number_masked == "+86 138****5678"
    assert sign_in.user.login_method == "phone"
    assert await balance_of(sign_in.user.user_id) == 10


async def test_the_code_is_stored_only_as_a_keyed_hash(sms: RecordingSender) -> None:
    await send_phone_code(phone=PHONE)
    row = await AuthPhoneCode.select().first()
    assert row is not None
    assert sms.last_code() not in str(row.values())


async def test_a_second_sign_in_reaches_the_same_account(
    sms: RecordingSender, clock: FakeClock
) -> None:
    await send_phone_code(phone=PHONE)
    first = await login_with_phone(phone=PHONE, code=sms.last_code())
    clock.advance(seconds=61)
    await send_phone_code(phone="+86 13812345678")
    second = await login_with_phone(phone=PHONE, code=sms.last_code())
    assert second.user.user_id == first.user.user_id
    assert await UserAccount.count() == 1


async def test_one_send_per_phone_per_minute(sms: RecordingSender, clock: FakeClock) -> None:
    await send_phone_code(phone=PHONE)
    clock.advance(seconds=59)
    with pytest.raises(AuthError) as throttled:
        await send_phone_code(phone=PHONE)
    assert throttled.value.code is AuthErrorCode.PHONE_CODE_THROTTLED
    assert len(sms.sent) == 1
    clock.advance(seconds=1)
    await send_phone_code(phone=PHONE)
    assert len(sms.sent) == 2


async def test_concurrent_sends_deliver_one_code(sms: RecordingSender) -> None:
    async def send() -> bool:
        try:
            await send_phone_code(phone=PHONE)
        except AuthError:
            return False
        return True

    assert sum(await asyncio.gather(*[send() for _ in range(10)])) == 1
    assert len(sms.sent) == 1


async def test_five_wrong_codes_exhaust_the_code(sms: RecordingSender) -> None:
    await send_phone_code(phone=PHONE)
    right = sms.last_code()
    wrong = "000000" if right != "000000" else "111111"
    for _ in range(5):
        with pytest.raises(AuthError) as refused:
            await login_with_phone(phone=PHONE, code=wrong)
        assert refused.value.code is AuthErrorCode.PHONE_CODE_INVALID
    with pytest.raises(AuthError) as exhausted:
        await login_with_phone(phone=PHONE, code=right)
    assert exhausted.value.code is AuthErrorCode.PHONE_CODE_ATTEMPTS_EXHAUSTED
    assert await UserAccount.count() == 0


async def test_a_code_expires_after_five_minutes(sms: RecordingSender, clock: FakeClock) -> None:
    await send_phone_code(phone=PHONE)
    clock.advance(minutes=5, seconds=1)
    with pytest.raises(AuthError) as expired:
        await login_with_phone(phone=PHONE, code=sms.last_code())
    assert expired.value.code is AuthErrorCode.PHONE_CODE_EXPIRED
    assert await UserAccount.count() == 0


async def test_a_code_signs_in_once_even_when_raced(sms: RecordingSender) -> None:
    await send_phone_code(phone=PHONE)
    code = sms.last_code()

    async def use() -> bool:
        try:
            await login_with_phone(phone=PHONE, code=code)
        except AuthError as error:
            assert error.code is AuthErrorCode.PHONE_CODE_INVALID
            return False
        return True

    assert sum(await asyncio.gather(*[use() for _ in range(4)])) == 1
    assert await UserAccount.count() == 1


async def test_a_failing_sender_is_reported(sms: RecordingSender) -> None:
    class Broken:
        async def send_code(self, *, phone_e164: str, code: str) -> None:
            raise ConnectionError("provider down")

    previous = set_sms_sender(Broken())
    try:
        with pytest.raises(AuthError) as failed:
            await send_phone_code(phone=PHONE)
    finally:
        set_sms_sender(previous)
    assert failed.value.code is AuthErrorCode.SMS_SEND_FAILED
    # and the user may retry at once
    await send_phone_code(phone=PHONE)
    assert len(sms.sent) == 1
