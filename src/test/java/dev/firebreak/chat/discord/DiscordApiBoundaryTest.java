package dev.firebreak.chat.discord;

import org.junit.jupiter.api.Test;

import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** JDA types never appear in what the package offers to the rest of Firebreak. */
class DiscordApiBoundaryTest {

    @Test
    void no_public_signature_mentions_a_jda_type() {
        List<String> leaks = new ArrayList<>();
        for (Class<?> type : List.of(DiscordAdapter.class, DiscordPlatform.class, DiscordSettings.class, DiscordCommandRules.class,
                DiscordSettings.Ready.class, DiscordSettings.Missing.class)) {
            List<Executable> members = new ArrayList<>();
            members.addAll(List.of(type.getDeclaredMethods()));
            members.addAll(List.of(type.getDeclaredConstructors()));
            for (Executable member : members) {
                if (!Modifier.isPublic(member.getModifiers()) && !Modifier.isProtected(member.getModifiers())) continue;
                Stream<String> types = Stream.concat(Stream.of(member.getGenericParameterTypes()).map(Object::toString),
                        member instanceof Method m ? Stream.of(m.getGenericReturnType().toString()) : Stream.empty());
                types.filter(t -> t.contains("net.dv8tion") || t.contains("okhttp3"))
                        .forEach(t -> leaks.add(type.getSimpleName() + "." + member.getName() + ": " + t));
                if (member instanceof Constructor<?> && type == DiscordPlatform.class) {
                    leaks.add("DiscordPlatform has a public constructor; it is made by DiscordAdapter only");
                }
            }
        }
        assertThat(leaks).isEmpty();
    }
}
