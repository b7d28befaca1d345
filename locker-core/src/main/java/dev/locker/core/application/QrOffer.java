package dev.locker.core.application;

import dev.locker.core.domain.Money;
import dev.locker.core.domain.ParcelId;
import dev.locker.core.domain.PaymentId;
import java.time.Instant;

/** What offering QR pay for a parcel came to. */
public sealed interface QrOffer {

  /**
   * Show {@code code} as a QR code until {@code expiresAt}; the door opens when the cloud confirms
   * the payment ({@code payment.qr.confirmed}).
   */
  record Offered(PaymentId payment, String code, Money amount, Instant expiresAt)
      implements QrOffer {}

  /** Nothing is owed: the pickup opens the door without a payment. */
  record NothingOwed(ParcelId parcel) implements QrOffer {}

  /** This parcel cannot be paid for now ({@code reason} says why). */
  record NotPayable(String reason) implements QrOffer {}

  /** QR pay needs the cloud link, which is down: pay by card. */
  record Unavailable(String reason) implements QrOffer {}
}
