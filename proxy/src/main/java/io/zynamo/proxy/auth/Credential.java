package io.zynamo.proxy.auth;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A user's secret as configured, in one of PostgreSQL's rolpassword forms: a SCRAM-SHA-256 verifier
 * ({@code SCRAM-SHA-256$4096:...}), an md5 hash ({@code md5} and 32 hex digits of md5(password +
 * user)), or the password itself. A password serves every method; a hash only the methods it can
 * check (md5 and password, or SCRAM and password), as in PostgreSQL.
 */
public final class Credential {

  private static final Pattern MD5 = Pattern.compile("md5[0-9a-f]{32}");

  private final String user;
  private final @Nullable String password;
  private final @Nullable String md5;
  private final @Nullable ScramVerifier scram;

  private Credential(
      String user, @Nullable String password, @Nullable String md5, @Nullable ScramVerifier scram) {
    this.user = requireNonNull(user, "user");
    this.password = password;
    this.md5 = md5;
    this.scram = scram;
  }

  /**
   * Reads a configured secret; a password gets a SCRAM verifier with a salt from {@code random}.
   *
   * @throws IllegalArgumentException for a malformed verifier (the message never shows it)
   */
  public static Credential parse(String user, String configured, Random random) {
    requireNonNull(configured, "configured");
    if (configured.startsWith(ScramVerifier.PREFIX)) {
      return new Credential(user, null, null, ScramVerifier.parse(configured));
    }
    if (MD5.matcher(configured).matches()) {
      return new Credential(user, null, configured, null);
    }
    if (configured.isEmpty()) {
      throw new IllegalArgumentException("user " + user + ": empty password");
    }
    return new Credential(
        user, configured, md5Of(configured, user), ScramVerifier.of(configured, random));
  }

  public String user() {
    return user;
  }

  /** The md5 form, if known. */
  @Nullable String md5() {
    return md5;
  }

  /** The SCRAM verifier, if known. */
  @Nullable ScramVerifier scram() {
    return scram;
  }

  /** Whether {@code candidate} is this user's password, whatever form is configured. */
  boolean matchesPassword(String candidate) {
    if (password != null) {
      return MessageDigest.isEqual(
          password.getBytes(StandardCharsets.UTF_8), candidate.getBytes(StandardCharsets.UTF_8));
    }
    if (scram != null) {
      return scram.matchesPassword(candidate);
    }
    return md5 != null
        && MessageDigest.isEqual(
            md5.getBytes(StandardCharsets.US_ASCII),
            md5Of(candidate, user).getBytes(StandardCharsets.US_ASCII));
  }

  /** {@code md5} + hex(md5(password + user)), PostgreSQL's stored md5 form. */
  static String md5Of(String password, String user) {
    return "md5" + md5Hex((password + user).getBytes(StandardCharsets.UTF_8));
  }

  static String md5Hex(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("MD5 is part of every JDK", e);
    }
  }

  @Override
  public String toString() {
    return "Credential[" + user + ", ***]";
  }
}
