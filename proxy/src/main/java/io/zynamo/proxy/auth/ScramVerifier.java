package io.zynamo.proxy.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Random;

/**
 * What the server keeps of a SCRAM-SHA-256 password, in PostgreSQL's rolpassword form:
 *
 * <pre>
 *   SCRAM-SHA-256$&lt;iterations&gt;:&lt;salt, base64&gt;$&lt;StoredKey, base64&gt;:&lt;ServerKey, base64&gt;
 * </pre>
 */
final class ScramVerifier {

  static final String PREFIX = "SCRAM-SHA-256$";

  /** PostgreSQL's default scram_iterations. */
  static final int DEFAULT_ITERATIONS = 4096;

  private final int iterations;
  private final byte[] salt;
  private final byte[] storedKey;
  private final byte[] serverKey;

  ScramVerifier(int iterations, byte[] salt, byte[] storedKey, byte[] serverKey) {
    if (iterations < 1 || storedKey.length != 32 || serverKey.length != 32 || salt.length == 0) {
      throw new IllegalArgumentException("malformed SCRAM-SHA-256 verifier");
    }
    this.iterations = iterations;
    this.salt = salt.clone();
    this.storedKey = storedKey.clone();
    this.serverKey = serverKey.clone();
  }

  /** The verifier of {@code password} with a new random 16-byte salt. */
  static ScramVerifier of(String password, Random random) {
    byte[] salt = new byte[16];
    random.nextBytes(salt);
    return of(password, salt, DEFAULT_ITERATIONS);
  }

  static ScramVerifier of(String password, byte[] salt, int iterations) {
    byte[] salted = Scram.saltedPassword(password, salt, iterations);
    byte[] clientKey = Scram.hmac(salted, "Client Key");
    return new ScramVerifier(
        iterations, salt, Scram.sha256(clientKey), Scram.hmac(salted, "Server Key"));
  }

  /** Parses PostgreSQL's form. */
  static ScramVerifier parse(String text) {
    if (!text.startsWith(PREFIX)) {
      throw new IllegalArgumentException("not a SCRAM-SHA-256 verifier");
    }
    String[] parts = text.substring(PREFIX.length()).split("[$:]", -1);
    if (parts.length != 4) {
      throw new IllegalArgumentException("malformed SCRAM-SHA-256 verifier");
    }
    Base64.Decoder b64 = Base64.getDecoder();
    return new ScramVerifier(
        Integer.parseInt(parts[0]),
        b64.decode(parts[1]),
        b64.decode(parts[2]),
        b64.decode(parts[3]));
  }

  int iterations() {
    return iterations;
  }

  byte[] salt() {
    return salt.clone();
  }

  byte[] storedKey() {
    return storedKey.clone();
  }

  byte[] serverKey() {
    return serverKey.clone();
  }

  /** Whether {@code clientKey} hashes to the StoredKey (compared in constant time). */
  boolean matchesClientKey(byte[] clientKey) {
    return MessageDigest.isEqual(storedKey, Scram.sha256(clientKey));
  }

  /** Whether {@code password} is the one this verifier was made from. */
  boolean matchesPassword(String password) {
    byte[] salted = Scram.saltedPassword(password, salt, iterations);
    return matchesClientKey(Scram.hmac(salted, "Client Key"));
  }

  @Override
  public String toString() {
    Base64.Encoder b64 = Base64.getEncoder();
    return PREFIX
        + iterations
        + ":"
        + b64.encodeToString(salt)
        + "$"
        + b64.encodeToString(storedKey)
        + ":"
        + new String(b64.encode(serverKey), StandardCharsets.US_ASCII);
  }
}
