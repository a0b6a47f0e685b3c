package dev.firebreak.contract;

/** The chat contract on the real JDA client against the fake Discord REST API and gateway. */
class DiscordContractTest extends ChatContract {

    @Override
    ChatDriver connect(ContractEnvironment environment) {
        return new DiscordChatDriver(environment);
    }
}
