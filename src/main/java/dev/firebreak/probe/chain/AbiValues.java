package dev.firebreak.probe.chain;

import dev.firebreak.kernel.InvalidInput;
import org.web3j.abi.TypeDecoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.Bool;
import org.web3j.abi.datatypes.BytesType;
import org.web3j.abi.datatypes.Type;
import org.web3j.crypto.Hash;
import org.web3j.utils.Numeric;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

/** Conversions between chat text and ABI values, for the atomic types the signatures may use. */
final class AbiValues {

    private static final Pattern ATOMIC = Pattern.compile("address|bool|string|bytes|bytes([1-9]|[12][0-9]|3[0-2])|u?int(8|16|24|32|40|48|56|64|72|80|88|96|104|112|120|128|136|144|152|160|168|176|184|192|200|208|216|224|232|240|248|256)?");

    private AbiValues() {}

    static String normalise(String type, String context) {
        String t = type.trim();
        if (t.equals("uint")) t = "uint256";
        if (t.equals("int")) t = "int256";
        if (!ATOMIC.matcher(t).matches()) throw new IllegalArgumentException("type '" + type + "' in '" + context
                + "' is not supported; use address, bool, string, bytes, bytesN, uintN or intN");
        return t;
    }

    static List<String> types(String list, String context) {
        if (list == null || list.isBlank()) return List.of();
        List<String> types = new ArrayList<>();
        for (String part : list.split(",")) types.add(normalise(part.trim().split("\\s+")[0], context));
        return List.copyOf(types);
    }

    @SuppressWarnings("unchecked")
    static List<TypeReference<Type>> references(List<String> types) {
        List<TypeReference<Type>> references = new ArrayList<>();
        for (String type : types) {
            try {
                references.add((TypeReference<Type>) (TypeReference<?>) TypeReference.makeTypeReference(type));
            } catch (ClassNotFoundException e) {
                throw new IllegalArgumentException("unsupported ABI type " + type, e);
            }
        }
        return references;
    }

    /** Turns one chat argument into an ABI value; the message names the argument, its type and a valid example. */
    static Type toAbi(String type, String text, String what) {
        String value = text == null ? "" : text.trim();
        Object converted;
        try {
            if (type.equals("address")) {
                if (!ChainsConfig.isAddress(value)) throw bad(what, type, value, "0x followed by 40 hex digits");
                converted = value;
            } else if (type.equals("bool")) {
                if (!value.equals("true") && !value.equals("false")) throw bad(what, type, value, "true or false");
                converted = Boolean.parseBoolean(value);
            } else if (type.startsWith("uint") || type.startsWith("int")) {
                if (hasOtherDigits(value)) {
                    throw new InvalidInput(what + " '" + value + "' uses digits other than 0-9; write the " + type
                            + " with the digits 0-9 (what you see is what is encoded)");
                }
                if (!value.matches("-?[0-9]+|0x[0-9a-fA-F]+")) throw bad(what, type, value, "a whole number such as 42");
                BigInteger number = value.startsWith("0x") ? new BigInteger(value.substring(2), 16) : new BigInteger(value);
                int bits = type.startsWith("uint") ? bits(type, 4) : bits(type, 3);
                boolean signed = type.startsWith("int");
                if (!signed && number.signum() < 0 || number.bitLength() > (signed ? bits - 1 : bits)) {
                    throw bad(what, type, value, "a number that fits in " + type);
                }
                converted = number;
            } else if (type.equals("string")) {
                converted = value;
            } else if (type.equals("bytes")) {
                converted = hex(what, type, value, -1);
            } else {
                int size = Integer.parseInt(type.substring(5));
                if (size == 32 && !value.startsWith("0x") && value.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                    // a role name such as GOVERNANCE_ROLE stands for keccak256("GOVERNANCE_ROLE")
                    converted = value.equals("DEFAULT_ADMIN_ROLE") ? new byte[32] : Hash.sha3(value.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                } else {
                    converted = hex(what, type, value, size);
                }
            }
            return TypeDecoder.instantiateType(type, converted);
        } catch (InvalidInput e) {
            throw e;
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw bad(what, type, value, "a valid " + type);
        }
    }

    /** Digits of other scripts (Bengali ৪০, Arabic-Indic ٤٠, fullwidth ４０), which Java's parsers would read as numbers. */
    static boolean hasOtherDigits(String text) {
        return text.codePoints().anyMatch(c -> Character.isDigit(c) && (c < '0' || c > '9'));
    }

    private static int bits(String type, int prefix) {
        return type.length() == prefix ? 256 : Integer.parseInt(type.substring(prefix));
    }

    private static byte[] hex(String what, String type, String value, int size) {
        if (!value.matches("0x([0-9a-fA-F]{2})*")) throw bad(what, type, value, size < 0 ? "0x-prefixed hex" : "0x and " + (size * 2) + " hex digits");
        byte[] bytes = HexFormat.of().parseHex(value.substring(2));
        if (size >= 0 && bytes.length != size) throw bad(what, type, value, "0x and " + (size * 2) + " hex digits");
        return bytes;
    }

    private static InvalidInput bad(String what, String type, String value, String expected) {
        String shown = value.length() > 80 ? value.substring(0, 80) + "..." : value;
        return new InvalidInput(what + " '" + shown + "' is not a valid " + type + "; give " + expected);
    }

    static String display(Type<?> value) {
        if (value instanceof Address address) return address.getValue();
        if (value instanceof Bool bool) return bool.getValue().toString();
        if (value instanceof BytesType bytes) return Numeric.toHexString(bytes.getValue());
        return String.valueOf(value.getValue());
    }
}
