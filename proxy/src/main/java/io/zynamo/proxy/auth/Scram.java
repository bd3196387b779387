package io.zynamo.proxy.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** The SCRAM-SHA-256 primitives of RFC 5802 section 3, with SHA-256 (RFC 7677). */
final class Scram {

  private Scram() {}

  static byte[] hmac(byte[] key, String message) {
    return hmac(key, message.getBytes(StandardCharsets.UTF_8));
  }

  static byte[] hmac(byte[] key, byte[] message) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(message);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }

  static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  /** Hi(password, salt, i): PBKDF2 with HMAC-SHA-256 and one block. */
  static byte[] saltedPassword(String password, byte[] salt, int iterations) {
    byte[] key = password.getBytes(StandardCharsets.UTF_8);
    byte[] block = new byte[salt.length + 4];
    System.arraycopy(salt, 0, block, 0, salt.length);
    block[block.length - 1] = 1;
    byte[] u = hmac(key, block);
    byte[] result = u.clone();
    for (int i = 1; i < iterations; i++) {
      u = hmac(key, u);
      for (int j = 0; j < result.length; j++) {
        result[j] ^= u[j];
      }
    }
    return result;
  }
}
