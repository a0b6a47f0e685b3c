package dev.firebreak.probe.chain;

import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Type;
import org.web3j.crypto.Hash;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An event given as a human-readable signature with {@code indexed} markers, e.g.
 * {@code OutputProposed(bytes32 indexed outputRoot,uint256 indexed l2OutputIndex,uint256 indexed l2BlockNumber,uint256 l1Timestamp)}.
 */
record EventSignature(String name, List<Parameter> parameters) {

    record Parameter(String type, boolean indexed, String name) {}

    private static final Pattern FORM = Pattern.compile("\\s*(?:event\\s+)?([A-Za-z_$][A-Za-z0-9_$]*)\\s*\\(([^()]*)\\)\\s*");

    static EventSignature parse(String text) {
        Matcher m = FORM.matcher(text == null ? "" : text);
        if (!m.matches()) throw new IllegalArgumentException("'" + text
                + "' is not an event signature; write it as Name(type [indexed] [name],...), e.g. Paused(address account)");
        List<Parameter> parameters = new ArrayList<>();
        String list = m.group(2).trim();
        if (!list.isEmpty()) {
            int position = 0;
            for (String part : list.split(",")) {
                String[] words = part.trim().split("\\s+");
                String type = AbiValues.normalise(words[0], text);
                boolean indexed = words.length > 1 && words[1].equals("indexed");
                String name = words.length > (indexed ? 2 : 1) ? words[words.length - 1] : "arg" + position;
                parameters.add(new Parameter(type, indexed, name));
                position++;
            }
        }
        return new EventSignature(m.group(1), parameters);
    }

    String canonical() {
        return name + "(" + String.join(",", parameters.stream().map(Parameter::type).toList()) + ")";
    }

    String topic() {
        return Hash.sha3String(canonical());
    }

    /** Decodes a log's topics (after topic0) and data into "name=value" strings. */
    List<String> decode(List<String> topics, String data) {
        List<String> values = new ArrayList<>();
        List<Parameter> plain = parameters.stream().filter(p -> !p.indexed()).toList();
        List<Type> decodedData = FunctionReturnDecoder.decode(data, AbiValues.references(plain.stream().map(Parameter::type).toList()));
        int topic = 1;
        int datum = 0;
        for (Parameter parameter : parameters) {
            String value;
            if (parameter.indexed()) {
                TypeReference<Type> reference = AbiValues.references(List.of(parameter.type())).getFirst();
                value = topic < topics.size()
                        ? AbiValues.display(FunctionReturnDecoder.decodeIndexedValue(topics.get(topic), reference))
                        : "?";
                topic++;
            } else {
                value = datum < decodedData.size() ? AbiValues.display(decodedData.get(datum)) : "?";
                datum++;
            }
            values.add(parameter.name() + "=" + value);
        }
        return values;
    }
}
