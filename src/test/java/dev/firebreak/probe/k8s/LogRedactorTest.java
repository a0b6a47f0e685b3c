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
}
