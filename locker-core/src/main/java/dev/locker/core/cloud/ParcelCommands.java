package dev.locker.core.cloud;

import dev.locker.core.application.port.LockerStore;
import dev.locker.core.domain.Money;
import dev.locker.core.domain.Parcel;
import dev.locker.core.domain.ParcelId;
import dev.locker.core.domain.ParcelState;
import dev.locker.core.domain.RecipientPhone;
import dev.locker.core.domain.Size;
import dev.locker.core.domain.TrackingNumber;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The pre-advice commands (contracts/mqtt.md): {@code parcel.expect} announces a parcel that a
 * courier's scan will then match, {@code parcel.cancel} withdraws one not yet deposited.
 */
public final class ParcelCommands {
  private static final Set<String> EXPECT_FIELDS =
      Set.of("tracking", "recipientPhone", "recipientEmail", "size", "cod", "language", "notify");
  private static final Set<String> LANGUAGES = Set.of("zh-Hans", "zh-Hant", "en");

  /** Deliberately plain: one @, no spaces, a dot in the domain; 254 characters at most. */
  private static final Pattern EMAIL =
      Pattern.compile("[^@\\s\\p{Cntrl}]{1,64}@[^@\\s\\p{Cntrl}]+\\.[^@\\s\\p{Cntrl}]+");

  private ParcelCommands() {}

  /** {@code parcel.expect}: a new pre-advice, or new details of one not yet deposited. */
  public static CommandHandler expect() {
    return ParcelCommands::expect;
  }

  /** {@code parcel.cancel}: drops a pre-advice not yet deposited. */
  public static CommandHandler cancel() {
    return ParcelCommands::cancel;
  }

  private static CommandOutcome expect(Command command, LockerStore.Transaction tx, Instant now) {
    Map<String, Object> data = command.data();
    for (String key : data.keySet()) {
      if (!EXPECT_FIELDS.contains(key)) {
        return invalid("unknown field " + key);
      }
    }
    Optional<TrackingNumber> tracking = tracking(data);
    if (tracking.isEmpty()) {
      return invalid("tracking must be 4 to 40 letters, digits or dashes");
    }
    Optional<RecipientPhone> phone = RecipientPhone.parse(text(data, "recipientPhone"));
    if (phone.isEmpty()) {
      return invalid("recipientPhone must be an E.164 number (+ and 7 to 15 digits)");
    }
    Optional<String> email = Optional.ofNullable(text(data, "recipientEmail"));
    if (data.containsKey("recipientEmail")
        && (email.isEmpty()
            || email.get().length() > 254
            || !EMAIL.matcher(email.get()).matches())) {
      return invalid("recipientEmail is not an e-mail address");
    }
    Optional<Size> size = Optional.empty();
    if (data.containsKey("size")) {
      size = Size.parse(text(data, "size"));
      if (size.isEmpty()) {
        return invalid("size must be S, M, L or XL");
      }
    }
    Optional<Money> cod = Optional.empty();
    if (data.containsKey("cod")) {
      cod = money(data.get("cod"));
      if (cod.isEmpty()) {
        return invalid("cod must be {amount: minor units >= 0, currency: ISO 4217}");
      }
    }
    Optional<String> language = Optional.ofNullable(text(data, "language"));
    if (data.containsKey("language") && language.filter(LANGUAGES::contains).isEmpty()) {
      return invalid("language must be zh-Hans, zh-Hant or en");
    }
    boolean sms = true;
    boolean mail = true;
    if (data.containsKey("notify")) {
      if (!(data.get("notify") instanceof Map<?, ?> notify)
          || !Set.of("sms", "email").containsAll(notify.keySet())
          || notify.values().stream().anyMatch(v -> !(v instanceof Boolean))) {
        return invalid("notify must be {sms?: true|false, email?: true|false}");
      }
      sms = !Boolean.FALSE.equals(notify.get("sms"));
      mail = !Boolean.FALSE.equals(notify.get("email"));
    }
    Parcel.Advice advice = new Parcel.Advice(email, cod, language, sms, mail);
    Optional<Parcel> live = tx.liveParcel(tracking.get());
    if (live.isPresent() && live.get().state() != ParcelState.EXPECTED) {
      return new CommandOutcome.Rejected(
          "already_deposited", "parcel " + tracking.get() + " is already in the locker");
    }
    if (live.isPresent()) {
      Parcel old = live.get();
      Parcel updated =
          new Parcel(
              old.id(),
              old.tracking(),
              size.orElse(old.size()),
              old.state(),
              phone.get().masked(),
              Optional.of(phone.get().value()),
              old.courierId(),
              old.compartment(),
              old.depositedAt(),
              old.deadline(),
              advice);
      tx.save(updated);
      return new CommandOutcome.Applied("pre-advice of " + tracking.get() + " updated");
    }
    tx.save(
        Parcel.preAdvised(
            ParcelId.random(), tracking.get(), size.orElse(Size.S), phone.get(), advice));
    return new CommandOutcome.Applied("parcel " + tracking.get() + " expected");
  }

  private static CommandOutcome cancel(Command command, LockerStore.Transaction tx, Instant now) {
    if (!Set.of("tracking").containsAll(command.data().keySet())) {
      return invalid("parcel.cancel takes only tracking");
    }
    Optional<TrackingNumber> tracking = tracking(command.data());
    if (tracking.isEmpty()) {
      return invalid("tracking must be 4 to 40 letters, digits or dashes");
    }
    Optional<Parcel> live = tx.liveParcel(tracking.get());
    if (live.isEmpty()) {
      return new CommandOutcome.Rejected(
          "unknown_parcel", "no parcel " + tracking.get() + " is expected");
    }
    if (live.get().state() != ParcelState.EXPECTED) {
      return new CommandOutcome.Rejected(
          "already_deposited", "parcel " + tracking.get() + " is already in the locker");
    }
    tx.save(live.get().on(ParcelState.Event.CANCEL));
    return new CommandOutcome.Applied("pre-advice of " + tracking.get() + " cancelled");
  }

  private static Optional<TrackingNumber> tracking(Map<String, Object> data) {
    return TrackingNumber.parse(text(data, "tracking"));
  }

  private static Optional<Money> money(Object value) {
    if (!(value instanceof Map<?, ?> map) || map.size() != 2) {
      return Optional.empty();
    }
    Object amount = map.get("amount");
    Object currency = map.get("currency");
    if (!(amount instanceof Integer || amount instanceof Long)
        || ((Number) amount).longValue() < 0
        || !(currency instanceof String code)
        || !Money.isCurrency(code)) {
      return Optional.empty();
    }
    return Optional.of(new Money(((Number) amount).longValue(), code));
  }

  private static String text(Map<String, Object> data, String key) {
    return data.get(key) instanceof String s ? s : null;
  }

  private static CommandOutcome invalid(String detail) {
    return new CommandOutcome.Rejected("invalid", detail);
  }
}
