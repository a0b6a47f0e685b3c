package dev.firebreak.probe.k8s;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LogRedactorTest {

    @Test
    void private_keys_tokens_passwords_and_keyed_urls_are_masked() {
        String log = """
                -----BEGIN EC PRIVATE KEY-----
                MHcCAQEEIBkg4LVWM9nuwNSk3yByxZpYRTBnVJk5oVTWSw7ohlt5oAoGCCqGSM49
                -----END EC PRIVATE KEY-----
                PRIVATE_KEY=0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80
                cast send --private-key 0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80
                {"mnemonic": "test test test junk", "password":"hunter2"}
                Authorization: Bearer abc.def-ghi
                l1=https://mainnet.infura.io/v3/9aa3d95b3bc440fa88ea12eaa4456161 rpc=https://rpc.example.org/?apikey=K3Y123&chain=1
                db=postgresql://sequencer:pa55word@db:5432/seq
                block hash=0x88e96d4537bea4d9c05d12549907b32561d3bf31f45aae734cdc119f13406cb6 took 12ms
                """;

        String out = LogRedactor.redact(log);

        assertThat(out).doesNotContain("MHcCAQEEIBkg", "ac0974bec39a17e3", "test test", "junk", "hunter2", "abc.def-ghi",
                "9aa3d95b3bc440fa", "K3Y123", "pa55word");
        assertThat(out).contains("PRIVATE_KEY=****", "--private-key ****", "Authorization: Bearer ****", "\"mnemonic\": ****", "https://mainnet.infura.io/v3/****",
                "apikey=****&chain=1", "postgresql://****@db:5432/seq",
                "0x88e96d4537bea4d9c05d12549907b32561d3bf31f45aae734cdc119f13406cb6 took 12ms");
    }

    @Test
    void keys_by_their_shape_and_well_known_token_shapes_are_masked() {
        String log = """
                level=info msg="starting batcher" signer-key=4f3edf983ac636a65a842ce7c78d9aa706d3b113bce9c46f30d7d21715b23b1d
                OP_BATCHER_SIGNER=0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d
                op-proposer --signer.key 5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a
                key=sk-live-9f8e7d6c5b4a
                loaded 0xdbda1821b80551c9d65939329250298aa3472ba22feea921c0cf5d620ea67b97 from env
                github token ghp_A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8 slack xoxb-1111-2222-AbCdEfGhIjKl xapp-1-A0FIRE-3333-x9y8z7w6v5
                block hash=0x88e96d4537bea4d9c05d12549907b32561d3bf31f45aae734cdc119f13406cb6 tx 0x9fc76417374aa880d4449a1f7f31ec597f00b1f6f3dd2d66f4c9c6c445836d8b ok
                """;

        String out = LogRedactor.redact(log);

        assertThat(out).doesNotContain("4f3edf983ac636a6", "59c6995e998f97a5", "5de4111afa1a4b94", "sk-live-9f8e7d6c5b4a",
                "dbda1821b80551c9", "ghp_A1b2C3d4", "xoxb-1111", "xapp-1-A0FIRE");
        assertThat(out).contains("signer-key=****", "OP_BATCHER_SIGNER=****", "--signer.key ****", "key=****", "loaded **** from env",
                "block hash=0x88e96d4537bea4d9c05d12549907b32561d3bf31f45aae734cdc119f13406cb6",
                "tx 0x9fc76417374aa880d4449a1f7f31ec597f00b1f6f3dd2d66f4c9c6c445836d8b ok");
    }

    @Test
    void a_secret_firebreak_holds_is_masked_in_a_log_whatever_surrounds_it() {
        new dev.firebreak.kernel.Secret("env SEQUENCER_API_TOKEN", "pl41n-v4lu3-t0k3n-0042");

        assertThat(LogRedactor.redact("curl failed: {\"sent\":\"pl41n-v4lu3-t0k3n-0042\"}"))
                .isEqualTo("curl failed: {\"sent\":\"****\"}");
    }
}
