package io.zynamo.proxy.auth;

import io.zynamo.driver.error.ZynamoSqlState;
import io.zynamo.proxy.auth.Authenticator.Challenge;
import io.zynamo.proxy.auth.Authenticator.Failure;
import io.zynamo.proxy.auth.Authenticator.Step;
import io.zynamo.proxy.auth.Authenticator.Success;
import io.zynamo.proxy.wire.BackendMessage.AuthenticationSasl;
import io.zynamo.proxy.wire.BackendMessage.AuthenticationSaslData;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import org.jspecify.annotations.Nullable;

/**
 * The server side of SCRAM-SHA-256 (RFC 5802, RFC 7677) as PostgreSQL runs it, without channel
 * binding:
 *
 * <pre>
 *   S: AuthenticationSASL [SCRAM-SHA-256]
 *   C: SASLInitialResponse  mechanism, "n,,n=,r=&lt;client nonce&gt;"
 *   S: AuthenticationSASLContinue  "r=&lt;client+server nonce&gt;,s=&lt;salt&gt;,i=&lt;iterations&gt;"
 *   C: SASLResponse  "c=biws,r=&lt;nonce&gt;,p=&lt;ClientProof&gt;"
 *   S: AuthenticationSASLFinal  "v=&lt;ServerSignature&gt;", then AuthenticationOk
 * </pre>
 *
 * The user name in the SCRAM messages is ignored, as PostgreSQL does: the startup packet's counts.
 * An unknown user goes through the same exchange with a verifier nobody knows the password of.
 */
final class ScramExchange implements Authenticator.Exchange {

  static final String MECHANISM = "SCRAM-SHA-256";

  private enum State {
    START,
    SENT_FIRST,
    DONE
  }

  private final String user;
  private final ScramVerifier verifier;
  private final boolean known;
  private final String serverNonce;
  private State state = State.START;
  private @Nullable String clientFirstBare;
  private @Nullable String serverFirst;
  private @Nullable String gs2Header;
  private @Nullable String nonce;

  ScramExchange(String user, @Nullable ScramVerifier verifier, Random random) {
    this.user = user;
    this.known = verifier != null;
    byte[] nonceBytes = new byte[18];
    random.nextBytes(nonceBytes);
    this.serverNonce = Base64.getEncoder().encodeToString(nonceBytes);
    if (verifier != null) {
      this.verifier = verifier;
    } else {
      byte[] secret = new byte[32];
      random.nextBytes(secret);
      this.verifier = ScramVerifier.of(Base64.getEncoder().encodeToString(secret), random);
    }
  }

  @Override
  public Step first() {
    return new Challenge(new AuthenticationSasl(List.of(MECHANISM)));
  }

  @Override
  public Step next(byte[] response) {
    try {
      return switch (state) {
        case START -> initial(response);
        case SENT_FIRST -> last(new String(response, StandardCharsets.UTF_8));
        case DONE -> failed();
      };
    } catch (IllegalArgumentException | java.nio.BufferUnderflowException e) {
      state = State.DONE;
      return new Failure(
          ZynamoSqlState.PROTOCOL_VIOLATION, "malformed SCRAM message: " + e.getMessage());
    }
  }

  /** SASLInitialResponse: mechanism\0, int32 length, client-first-message. */
  private Step initial(byte[] response) {
    ByteBuffer in = ByteBuffer.wrap(response);
    int nul = indexOf(response, (byte) 0);
    String mechanism = new String(response, 0, nul, StandardCharsets.UTF_8);
    if (!mechanism.equals(MECHANISM)) {
      state = State.DONE;
      return new Failure(
          ZynamoSqlState.INVALID_AUTHORIZATION_SPECIFICATION,
          "client selected an invalid SASL authentication mechanism");
    }
    in.position(nul + 1);
    int length = in.getInt();
    if (length < 0 || length != in.remaining()) {
      throw new IllegalArgumentException("initial response length " + length);
    }
    String clientFirst = new String(response, in.position(), length, StandardCharsets.UTF_8);
    // gs2-header: "n,," or "y,," (no channel binding; "p=" would need SCRAM-SHA-256-PLUS)
    if (!clientFirst.startsWith("n,,") && !clientFirst.startsWith("y,,")) {
      throw new IllegalArgumentException("unsupported channel binding or authzid");
    }
    gs2Header = clientFirst.substring(0, 3);
    String bare = clientFirst.substring(3);
    String clientNonce = attribute(bare, "r");
    if (clientNonce.isEmpty() || bare.contains(",m=")) {
      throw new IllegalArgumentException("no nonce or an unsupported extension");
    }
    clientFirstBare = bare;
    nonce = clientNonce + serverNonce;
    serverFirst =
        "r="
            + nonce
            + ",s="
            + Base64.getEncoder().encodeToString(verifier.salt())
            + ",i="
            + verifier.iterations();
    state = State.SENT_FIRST;
    return new Challenge(new AuthenticationSaslData(false, serverFirst));
  }

  /** SASLResponse: client-final-message "c=...,r=...,p=...". */
  private Step last(String clientFinal) {
    state = State.DONE;
    int proofAt = clientFinal.lastIndexOf(",p=");
    if (proofAt < 0) {
      throw new IllegalArgumentException("no proof");
    }
    String withoutProof = clientFinal.substring(0, proofAt);
    String channelBinding =
        Base64.getEncoder().encodeToString(gs2Header.getBytes(StandardCharsets.US_ASCII));
    if (!attribute(withoutProof, "c").equals(channelBinding)
        || !attribute(withoutProof, "r").equals(nonce)) {
      throw new IllegalArgumentException("channel binding or nonce does not match");
    }
    byte[] proof = Base64.getDecoder().decode(clientFinal.substring(proofAt + 3));
    String authMessage = clientFirstBare + "," + serverFirst + "," + withoutProof;
    byte[] storedKeySignature = clientSignature(authMessage);
    if (proof.length != storedKeySignature.length) {
      return failed();
    }
    byte[] clientKey = new byte[proof.length];
    for (int i = 0; i < proof.length; i++) {
      clientKey[i] = (byte) (proof[i] ^ storedKeySignature[i]);
    }
    if (!known || !verifier.matchesClientKey(clientKey)) {
      return failed();
    }
    byte[] serverSignature = Scram.hmac(verifier.serverKey(), authMessage);
    return new Success(
        new AuthenticationSaslData(
            true, "v=" + Base64.getEncoder().encodeToString(serverSignature)));
  }

  /** HMAC(StoredKey, AuthMessage), recomputed from the verifier's StoredKey. */
  private byte[] clientSignature(String authMessage) {
    return Scram.hmac(verifier.storedKey(), authMessage);
  }

  private Failure failed() {
    return Failure.passwordFailed(user);
  }

  /** The value of {@code name=} among the comma-separated attributes of {@code message}. */
  private static String attribute(String message, String name) {
    for (String part : message.split(",", -1)) {
      if (part.startsWith(name + "=")) {
        return part.substring(name.length() + 1);
      }
    }
    throw new IllegalArgumentException("missing attribute " + name);
  }

  private static int indexOf(byte[] bytes, byte value) {
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == value) {
        return i;
      }
    }
    throw new IllegalArgumentException("unterminated mechanism name");
  }
}
