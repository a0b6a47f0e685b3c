package dev.firebreak.contract;

/** The chat contract on the real Bolt app in Socket Mode, connected to the fake Slack's WebSocket. */
class SlackSocketModeContractTest extends ChatContract {

    @Override
    ChatDriver connect(ContractEnvironment environment) {
        return new SlackDriver(environment, SlackDriver.Transport.SOCKET_MODE);
    }
}
