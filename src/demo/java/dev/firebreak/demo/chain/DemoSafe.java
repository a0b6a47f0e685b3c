package dev.firebreak.demo.chain;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.DynamicArray;
import org.web3j.abi.datatypes.DynamicBytes;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.crypto.ContractUtils;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.utils.Numeric;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The demo's Safe: the real Safe 1.4.1 singleton and proxy factory from the npm release, and one
 * Safe (a proxy) with three owners and a threshold of two, deployed by a key of its own so the
 * guardian's deployment nonces stay as they are. Its address follows from the deployer's nonces
 * and CREATE2, so a kept chain finds it again.
 */
final class DemoSafe {

    static final String VERSION = "1.4.1";
    static final int THRESHOLD = 2;
    /** anvil's well-known development keys 5 to 8: public knowledge, never use them elsewhere. */
    static final List<String> OWNER_KEYS = List.of(
            "0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba",
            "0x92db14e403b83dfe3df233f83dfa3a0d7096f21ca9b0d6d6b8d88b2b4ec1564e",
            "0x4bbbf85ce3377467afe5d46f804f221813b2bb87f24d81f60f1fcdbf7cbf4356");
    static final String DEPLOYER_KEY = "0xdbda1821b80551c9d65939329250298aa3472ba22feea921c0cf5d620ea67b97";

    private static final ObjectMapper JSON = new ObjectMapper();

    private DemoSafe() {}

    /** The owners by demo name: owner1, owner2, owner3. */
    static Map<String, String> owners() {
        Map<String, String> owners = new LinkedHashMap<>();
        for (int i = 0; i < OWNER_KEYS.size(); i++) owners.put("owner" + (i + 1), Credentials.create(OWNER_KEYS.get(i)).getAddress());
        return owners;
    }

    /** Deploys singleton, factory and the Safe; returns the Safe's address. */
    static String deploy(DemoChain chain, ChainTools tools) throws IOException {
        Credentials deployer = Credentials.create(DEPLOYER_KEY);
        String singleton = chain.transact(deployer, "", bytecode(tools, "Safe.sol/Safe.json"), 8_000_000).getContractAddress();
        String factory = chain.transact(deployer, "", bytecode(tools, "proxies/SafeProxyFactory.sol/SafeProxyFactory.json"), 3_000_000)
                .getContractAddress();
        String create = FunctionEncoder.encode(new Function("createProxyWithNonce", List.of(new Address(singleton),
                new DynamicBytes(Numeric.hexStringToByteArray(initializer())), Uint256.DEFAULT), List.of()));
        chain.transact(deployer, factory, create, 1_000_000);
        String safe = address(chain);
        if ("0x".equals(chain.rpc().call("eth_getCode", safe, "latest").asText("0x"))) {
            throw new IllegalStateException("the demo Safe is not at " + safe + " after its deployment");
        }
        return safe;
    }

    /** Where the Safe is (or would be), from the deployer's first two nonces and CREATE2. */
    static String address(DemoChain chain) {
        String deployer = Credentials.create(DEPLOYER_KEY).getAddress();
        String singleton = ContractUtils.generateContractAddress(deployer, BigInteger.ZERO);
        String factory = ContractUtils.generateContractAddress(deployer, BigInteger.ONE);
        byte[] salt = Hash.sha3(concat(Hash.sha3(Numeric.hexStringToByteArray(initializer())), new byte[32]));
        String code = chain.rpc().call("eth_call", Map.of("to", factory, "data", FunctionEncoder.encode(
                new Function("proxyCreationCode", List.of(), List.of()))), "latest").asText();
        @SuppressWarnings({"rawtypes", "unchecked"})
        List<Type> decoded = FunctionReturnDecoder.decode(code, (List) List.of(new TypeReference<DynamicBytes>() {}));
        if (decoded.isEmpty()) return null;
        byte[] creationCode = ((DynamicBytes) decoded.getFirst()).getValue();
        byte[] deployment = concat(creationCode, Numeric.hexStringToByteArray(org.web3j.abi.TypeEncoder.encode(new Address(singleton))));
        byte[] digest = Hash.sha3(concat(new byte[] {(byte) 0xff}, Numeric.hexStringToByteArray(factory), salt, Hash.sha3(deployment)));
        return org.web3j.crypto.Keys.toChecksumAddress(Numeric.toHexString(java.util.Arrays.copyOfRange(digest, 12, 32)));
    }

    private static String initializer() {
        List<Address> owners = owners().values().stream().map(Address::new).toList();
        Address zero = new Address("0x0000000000000000000000000000000000000000");
        return FunctionEncoder.encode(new Function("setup", List.of(new DynamicArray<>(Address.class, owners),
                new Uint256(THRESHOLD), zero, new DynamicBytes(new byte[0]), zero, zero, Uint256.DEFAULT, zero), List.of()));
    }

    private static String bytecode(ChainTools tools, String artifact) throws IOException {
        return JSON.readTree(tools.safeArtifact(artifact).toFile()).path("bytecode").asText();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) out.writeBytes(part);
        return out.toByteArray();
    }
}
