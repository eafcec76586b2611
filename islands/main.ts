// The client bundle's one entry: every island the pages use, revived by the boot script.
import { boot } from "../lib/islands_client.ts";
import ConversationPane from "./ConversationPane.tsx";
import FriendsPanel from "./FriendsPanel.tsx";
import RoomDialogs from "./RoomDialogs.tsx";

boot([FriendsPanel, ConversationPane, RoomDialogs]);
