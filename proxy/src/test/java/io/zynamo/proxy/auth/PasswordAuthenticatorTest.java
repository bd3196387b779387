package io.zynamo.proxy.auth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zynamo.proxy.auth.Authenticator.Challenge;
import io.zynamo.proxy.auth.Authenticator.Exchange;
import io.zynamo.proxy.auth.Authenticator.Failure;
import io.zynamo.proxy.auth.Authenticator.Step;
import io.zynamo.proxy.auth.Authenticator.Success;
import io.zynamo.proxy.wire.BackendMessage.AuthenticationMd5Password;
import io.zynamo.proxy.wire.BackendMessage.AuthenticationSasl;
import io.zynamo.proxy.wire.BackendMessage.AuthenticationSaslData;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PasswordAuthenticatorTest {

  private final Random random = new Random(42);

  private PasswordAuthenticator authenticator(AuthMethod method, String secret) {
    return new PasswordAuthenticator(
        method, Map.of("alice", Credential.parse("alice", secret, random)), random);
  }

  private static byte[] cString(String s) {
    byte[] text = s.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(text.length + 1).put(text).array();
  }

  @Test
  void cleartextAcceptsThePasswordWhateverFormIsStored() {
    String verifier = ScramVerifier.of("s3cret", new byte[] {1, 2, 3}, 4096).toString();
    for (String stored : List.of("s3cret", Credential.md5Of("s3cret", "alice"), verifier)) {
      PasswordAuthenticator auth = authenticator(AuthMethod.PASSWORD, stored);
      assertInstanceOf(Challenge.class, auth.begin("alice").first());
      assertInstanceOf(Success.class, auth.begin("alice").next(cString("s3cret")), stored);
      Failure wrong = assertInstanceOf(Failure.class, auth.begin("alice").next(cString("nope")));
      assertEquals("28P01", wrong.state().code());
      assertEquals("password authentication failed for user \"alice\"", wrong.message());
    }
    assertInstanceOf(
        Failure.class,
        authenticator(AuthMethod.PASSWORD, "s3cret").begin("bob").next(cString("s3cret")));
  }

  @Test
  void md5ChecksTheSaltedHash() {
    Exchange exchange = authenticator(AuthMethod.MD5, "s3cret").begin("alice");
    Challenge challenge = assertInstanceOf(Challenge.class, exchange.first());
    int salt = ((AuthenticationMd5Password) challenge.message()).salt();
    String inner = Credential.md5Of("s3cret", "alice").substring(3);
    byte[] salted =
        ByteBuffer.allocate(36).put(inner.getBytes(StandardCharsets.US_ASCII)).putInt(salt).array();
    String answer = "md5" + Credential.md5Hex(salted);
    assertInstanceOf(Success.class, exchange.next(cString(answer)));
    Exchange again = authenticator(AuthMethod.MD5, "s3cret").begin("alice");
    again.first();
    assertInstanceOf(Failure.class, again.next(cString(answer))); // another salt
  }

  @Test
  void md5UsesScramForAUserWithAVerifier() {
    String verifier = ScramVerifier.of("s3cret", new byte[] {1}, 4096).toString();
    Challenge first =
        assertInstanceOf(
            Challenge.class, authenticator(AuthMethod.MD5, verifier).begin("alice").first());
    assertInstanceOf(AuthenticationSasl.class, first.message());
  }

  @Test
  void scramSucceedsWithTheRightPasswordAndProvesTheServer() {
    Exchange exchange = authenticator(AuthMethod.SCRAM_SHA_256, "pencil").begin("alice");
    ScramClient client = new ScramClient("pencil");
    assertEquals(
        List.of("SCRAM-SHA-256"),
        ((AuthenticationSasl) ((Challenge) exchange.first()).message()).mechanisms());
    Step serverFirst = exchange.next(client.initialResponse());
    String serverFirstText = ((AuthenticationSaslData) ((Challenge) serverFirst).message()).data();
    Success success =
        assertInstanceOf(
            Success.class,
            exchange.next(client.finalMessage(serverFirstText).getBytes(StandardCharsets.UTF_8)));
    String serverFinal = ((AuthenticationSaslData) success.last()).data();
    assertEquals("v=" + client.expectedServerSignature(), serverFinal);
  }

  @Test
  void scramFailsForAWrongPasswordAnUnknownUserOrATamperedNonce() {
    for (String user : List.of("alice", "mallory")) {
      Exchange exchange = authenticator(AuthMethod.SCRAM_SHA_256, "pencil").begin(user);
      exchange.first();
      ScramClient client = new ScramClient(user.equals("alice") ? "pen" : "pencil");
      String serverFirst =
          ((AuthenticationSaslData) ((Challenge) exchange.next(client.initialResponse())).message())
              .data();
      Failure failure =
          assertInstanceOf(
              Failure.class,
              exchange.next(client.finalMessage(serverFirst).getBytes(StandardCharsets.UTF_8)));
      assertEquals("28P01", failure.state().code());
    }
    Exchange exchange = authenticator(AuthMethod.SCRAM_SHA_256, "pencil").begin("alice");
    exchange.first();
    ScramClient client = new ScramClient("pencil");
    String serverFirst =
        ((AuthenticationSaslData) ((Challenge) exchange.next(client.initialResponse())).message())
            .data();
    String tampered = client.finalMessage(serverFirst).replace(",r=", ",r=x");
    assertEquals(
        "08P01",
        assertInstanceOf(Failure.class, exchange.next(tampered.getBytes(StandardCharsets.UTF_8)))
            .state()
            .code());
  }

  @Test
  void scramRefusesChannelBindingAndOtherMechanisms() {
    Exchange exchange = authenticator(AuthMethod.SCRAM_SHA_256, "pencil").begin("alice");
    exchange.first();
    assertEquals(
        "08P01",
        assertInstanceOf(
                Failure.class,
                exchange.next(
                    ScramClient.initial("SCRAM-SHA-256", "p=tls-server-end-point,,n=,r=abc")))
            .state()
            .code());
    Exchange other = authenticator(AuthMethod.SCRAM_SHA_256, "pencil").begin("alice");
    other.first();
    assertEquals(
        "28000",
        assertInstanceOf(Failure.class, other.next(ScramClient.initial("PLAIN", "x")))
            .state()
            .code());
  }

  @Test
  void verifiersReadAndWritePostgresForm() {
    ScramVerifier verifier = ScramVerifier.of("pencil", new byte[] {9, 8, 7}, 4096);
    ScramVerifier parsed = ScramVerifier.parse(verifier.toString());
    assertTrue(parsed.matchesPassword("pencil"));
    assertFalse(parsed.matchesPassword("pencil!"));
    assertArrayEquals(new byte[] {9, 8, 7}, parsed.salt());
    assertThrows(
        IllegalArgumentException.class, () -> Credential.parse("a", "SCRAM-SHA-256$x", random));
    assertEquals("Credential[alice, ***]", Credential.parse("alice", "pw", random).toString());
  }

  /** A SCRAM-SHA-256 client as RFC 5802 section 3 describes it. */
  private static final class ScramClient {
    private final String password;
    private final String clientFirstBare = "n=,r=fyko+d2lbbFgONRv9qkxdawL";
    private byte[] saltedPassword = new byte[0];
    private String authMessage = "";

    ScramClient(String password) {
      this.password = password;
    }

    static byte[] initial(String mechanism, String message) {
      byte[] name = cString(mechanism);
      byte[] data = message.getBytes(StandardCharsets.UTF_8);
      return ByteBuffer.allocate(name.length + 4 + data.length)
          .put(name)
          .putInt(data.length)
          .put(data)
          .array();
    }

    byte[] initialResponse() {
      return initial("SCRAM-SHA-256", "n,," + clientFirstBare);
    }

    String finalMessage(String serverFirst) {
      Map<String, String> attributes = new java.util.HashMap<>();
      for (String part : serverFirst.split(",", -1)) {
        attributes.put(part.substring(0, 1), part.substring(2));
      }
      saltedPassword =
          Scram.saltedPassword(
              password,
              Base64.getDecoder().decode(attributes.get("s")),
              Integer.parseInt(attributes.get("i")));
      String withoutProof = "c=biws,r=" + attributes.get("r");
      authMessage = clientFirstBare + "," + serverFirst + "," + withoutProof;
      byte[] clientKey = Scram.hmac(saltedPassword, "Client Key");
      byte[] signature = Scram.hmac(Scram.sha256(clientKey), authMessage);
      byte[] proof = new byte[clientKey.length];
      for (int i = 0; i < proof.length; i++) {
        proof[i] = (byte) (clientKey[i] ^ signature[i]);
      }
      return withoutProof + ",p=" + Base64.getEncoder().encodeToString(proof);
    }

    String expectedServerSignature() {
      byte[] serverKey = Scram.hmac(saltedPassword, "Server Key");
      return Base64.getEncoder().encodeToString(Scram.hmac(serverKey, authMessage));
    }
  }
}
