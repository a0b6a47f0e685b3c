package dev.firebreak.probe.chain;

import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.Type;
import org.web3j.crypto.Hash;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A function given as a human-readable signature, {@code name(inputs)(outputs)}, e.g.
 * {@code hasRole(bytes32,address)(bool)}. Only atomic ABI types (address, bool, uintN, intN,
 * bytesN, bytes, string) are accepted, which is all incident response needs.
 */
record FunctionSignature(String name, List<String> inputs, List<String> outputs) {

    private static final Pattern FORM = Pattern.compile("\\s*(?:function\\s+)?([A-Za-z_$][A-Za-z0-9_$]*)\\s*\\(([^()]*)\\)\\s*(?:\\(([^()]*)\\))?\\s*");

    static FunctionSignature parse(String text) {
        Matcher m = FORM.matcher(text == null ? "" : text);
        if (!m.matches()) throw new IllegalArgumentException("'" + text
                + "' is not a function signature; write it as name(type,...)(returns), e.g. hasRole(bytes32,address)(bool)");
        return new FunctionSignature(m.group(1), AbiValues.types(m.group(2), text), AbiValues.types(m.group(3), text));
    }

    /** The canonical form used for the selector, e.g. {@code hasRole(bytes32,address)}. */
    String canonical() {
        return name + "(" + String.join(",", inputs) + ")";
    }

    /** With return types, the way it is configured and shown. */
    String display() {
        return outputs.isEmpty() ? canonical() : canonical() + "(" + String.join(",", outputs) + ")";
    }

    String selector() {
        return Hash.sha3String(canonical()).substring(0, 10);
    }

    /** ABI-encodes a call from textual arguments; throws InvalidInput naming the bad argument. */
    String encode(List<String> args) {
        if (args.size() != inputs.size()) {
            throw new dev.firebreak.kernel.InvalidInput(canonical() + " takes " + inputs.size() + " argument(s) "
                    + (inputs.isEmpty() ? "" : "(" + String.join(", ", inputs) + ") ") + "but got " + args.size()
                    + "; pass them separated by spaces");
        }
        List<Type> values = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) values.add(AbiValues.toAbi(inputs.get(i), args.get(i), "argument " + (i + 1)));
        return FunctionEncoder.encode(new Function(name, values, List.of()));
    }

    /** Decodes return data into display strings. */
    List<String> decodeOutputs(String returnData) {
        List<TypeReference<Type>> references = AbiValues.references(outputs);
        List<Type> decoded = FunctionReturnDecoder.decode(returnData, references);
        return decoded.stream().map(AbiValues::display).toList();
    }

    /** Decodes the arguments of calldata whose selector matches this function. */
    List<String> decodeInputs(String calldata) {
        String body = "0x" + calldata.substring(10);
        List<Type> decoded = FunctionReturnDecoder.decode(body, AbiValues.references(inputs));
        return decoded.stream().map(AbiValues::display).toList();
    }
}
