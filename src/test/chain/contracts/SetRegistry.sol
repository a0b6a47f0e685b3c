// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// Test fixture after seed 000: sequencers commit batches; the owner (multisig) authorises them.
contract SetRegistry {
    address public owner;
    mapping(address => bool) public authorizedSequencers;
    uint256 public totalCommitments;
    bool public strictMode;
    mapping(bytes32 => bool) private committed;

    event SequencerAuthorizationChanged(address indexed sequencer, bool authorized);
    event Committed(bytes32 indexed root, uint256 indexed index, address indexed sequencer);
    event StrictModeChanged(bool enabled);

    constructor() {
        owner = msg.sender;
    }

    modifier onlyOwner() {
        require(msg.sender == owner, "SetRegistry: caller is not the owner");
        _;
    }

    function setSequencerAuthorization(address sequencer, bool authorized) external onlyOwner {
        authorizedSequencers[sequencer] = authorized;
        emit SequencerAuthorizationChanged(sequencer, authorized);
    }

    function deauthorizeSequencer(address sequencer) external onlyOwner {
        require(authorizedSequencers[sequencer], "SetRegistry: sequencer not authorized");
        authorizedSequencers[sequencer] = false;
        emit SequencerAuthorizationChanged(sequencer, false);
    }

    /// Strict mode refuses empty and repeated roots (the anchor service's validation, enforced on chain).
    function setStrictMode(bool enabled) external onlyOwner {
        strictMode = enabled;
        emit StrictModeChanged(enabled);
    }

    function commit(bytes32 root) external {
        require(authorizedSequencers[msg.sender], "SetRegistry: sequencer not authorized");
        require(!strictMode || (root != bytes32(0) && !committed[root]), "SetRegistry: strict mode rejects the root");
        committed[root] = true;
        emit Committed(root, totalCommitments, msg.sender);
        totalCommitments += 1;
    }
}
