package io.zynamo.proxy.types;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;

/** PostgreSQL's binary date and time values count from 2000-01-01 (POSTGRES_EPOCH_JDATE). */
final class PgEpoch {

  static final LocalDate DATE = LocalDate.of(2000, 1, 1);
  static final LocalDateTime DATE_TIME = DATE.atStartOfDay();

  private PgEpoch() {}

  static int days(LocalDate date) {
    return Math.toIntExact(ChronoUnit.DAYS.between(DATE, date));
  }

  static LocalDate date(int days) {
    return DATE.plusDays(days);
  }

  static long micros(LocalDateTime time) {
    return ChronoUnit.MICROS.between(DATE_TIME, time);
  }

  static LocalDateTime dateTime(long micros) {
    return DATE_TIME.plus(micros, ChronoUnit.MICROS);
  }
}
