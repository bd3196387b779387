package io.zynamo.proxy.auth;

import java.util.Arrays;
import java.util.Locale;

/** The authentication methods, named as in pg_hba.conf. */
public enum AuthMethod {
  /** Anyone who connects is the user they claim: only for loopback (the embedded default). */
  TRUST("trust"),
  /** The password in clear text (use only over TLS or loopback). */
  PASSWORD("password"),
  /** md5(md5(password + user) + salt): obsolete, for old clients. */
  MD5("md5"),
  /** SCRAM-SHA-256 (RFC 7677) without channel binding: the password never crosses the wire. */
  SCRAM_SHA_256("scram-sha-256");

  private final String configName;

  AuthMethod(String configName) {
    this.configName = configName;
  }

  public String configName() {
    return configName;
  }

  /** The method called {@code name} in a configuration file. */
  public static AuthMethod forName(String name) {
    String lower = name.trim().toLowerCase(Locale.ROOT);
    return Arrays.stream(values())
        .filter(m -> m.configName.equals(lower))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "auth: '" + name + "' (expected trust, password, md5 or scram-sha-256)"));
  }
}
