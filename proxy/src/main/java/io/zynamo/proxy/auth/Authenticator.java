package io.zynamo.proxy.auth;

import static java.util.Objects.requireNonNull;

import io.zynamo.driver.error.ZynamoSqlState;
import io.zynamo.proxy.wire.BackendMessage;
import org.jspecify.annotations.Nullable;

/**
 * How a client proves who it is (protocol 55.2.1 and 55.3): an exchange of challenges and answers
 * between the StartupMessage and AuthenticationOk. One {@link Exchange} per connection.
 */
public interface Authenticator {

  /** The exchange for a client that claims to be {@code user}. */
  Exchange begin(String user);

  /** One connection's exchange: the first step, then one step per PasswordMessage. */
  interface Exchange {

    Step first();

    /** The next step after the client's PasswordMessage body {@code response}. */
    Step next(byte[] response);
  }

  /** What to do next. */
  sealed interface Step {}

  /** Send {@code message} and wait for the client's PasswordMessage. */
  record Challenge(BackendMessage message) implements Step {
    public Challenge {
      requireNonNull(message, "message");
    }
  }

  /** Authenticated; {@code last} (SASL's final message) goes before AuthenticationOk. */
  record Success(@Nullable BackendMessage last) implements Step {}

  /** Refused: a FATAL ErrorResponse with this SQLState and message, then the connection closes. */
  record Failure(ZynamoSqlState state, String message) implements Step {
    public Failure {
      requireNonNull(state, "state");
      requireNonNull(message, "message");
    }

    /** PostgreSQL's answer to a wrong password, an unknown user or a broken exchange alike. */
    static Failure passwordFailed(String user) {
      return new Failure(
          ZynamoSqlState.INVALID_PASSWORD,
          "password authentication failed for user \"" + user + "\"");
    }
  }
}
