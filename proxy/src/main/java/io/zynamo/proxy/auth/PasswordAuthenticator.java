package io.zynamo.proxy.auth;

import static java.util.Objects.requireNonNull;

import io.zynamo.proxy.wire.BackendMessage.AuthenticationCleartextPassword;
import io.zynamo.proxy.wire.BackendMessage.AuthenticationMd5Password;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.Random;
import org.jspecify.annotations.Nullable;

/**
 * Checks passwords against the configured users with one method, as pg_hba.conf's {@code password},
 * {@code md5} and {@code scram-sha-256} do. Like PostgreSQL, {@code md5} uses SCRAM for a user
 * whose secret is a SCRAM verifier. An unknown user is refused with the same message as a wrong
 * password, after the same exchange.
 */
public final class PasswordAuthenticator implements Authenticator {

  private final AuthMethod method;
  private final Map<String, Credential> users;
  private final Random random;

  /**
   * An authenticator for {@code users}.
   *
   * @param random the source of salts and nonces: a SecureRandom outside tests
   */
  public PasswordAuthenticator(AuthMethod method, Map<String, Credential> users, Random random) {
    if (method == AuthMethod.TRUST) {
      throw new IllegalArgumentException("method: trust (expected a password method)");
    }
    this.method = requireNonNull(method, "method");
    this.users = Map.copyOf(users);
    this.random = requireNonNull(random, "random");
  }

  @Override
  public Exchange begin(String user) {
    Credential credential = users.get(user);
    return switch (method) {
      case PASSWORD -> new Cleartext(user, credential);
      case MD5 ->
          credential != null && credential.md5() == null && credential.scram() != null
              ? scram(user, credential)
              : new Md5(user, credential, nextInt());
      default -> scram(user, credential);
    };
  }

  private Exchange scram(String user, @Nullable Credential credential) {
    synchronized (random) {
      return new ScramExchange(user, credential == null ? null : credential.scram(), random);
    }
  }

  private int nextInt() {
    synchronized (random) {
      return random.nextInt();
    }
  }

  /** A password message's text: the string up to its terminating NUL. */
  private static String cString(byte[] response) {
    int end =
        response.length > 0 && response[response.length - 1] == 0
            ? response.length - 1
            : response.length;
    return new String(response, 0, end, StandardCharsets.UTF_8);
  }

  private record Cleartext(String user, @Nullable Credential credential) implements Exchange {
    @Override
    public Step first() {
      return new Challenge(new AuthenticationCleartextPassword());
    }

    @Override
    public Step next(byte[] response) {
      return credential != null && credential.matchesPassword(cString(response))
          ? new Success(null)
          : Failure.passwordFailed(user);
    }
  }

  /** md5: the client answers "md5" + hex(md5(hex(md5(password + user)) + salt)). */
  private record Md5(String user, @Nullable Credential credential, int salt) implements Exchange {
    @Override
    public Step first() {
      return new Challenge(new AuthenticationMd5Password(salt));
    }

    @Override
    public Step next(byte[] response) {
      String stored = credential == null ? null : credential.md5();
      if (stored == null) {
        return Failure.passwordFailed(user);
      }
      byte[] hashed = stored.substring(3).getBytes(StandardCharsets.US_ASCII);
      byte[] salted = ByteBuffer.allocate(hashed.length + 4).put(hashed).putInt(salt).array();
      String expected = "md5" + Credential.md5Hex(salted);
      return MessageDigest.isEqual(
              expected.getBytes(StandardCharsets.US_ASCII),
              cString(response).getBytes(StandardCharsets.US_ASCII))
          ? new Success(null)
          : Failure.passwordFailed(user);
    }
  }
}
