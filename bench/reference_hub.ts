// The practical limit: a bare Deno WebSocket hub that sends every text frame it receives
// to every open socket. No auth, no storage, no JSON.
const sockets = new Set<WebSocket>();
const port = Number(Deno.env.get("PORT") ?? 0);
Deno.serve({
  hostname: "127.0.0.1",
  port,
  onListen: ({ port }) => console.log(`listening ${port}`),
}, (req) => {
  const { socket, response } = Deno.upgradeWebSocket(req);
  socket.onopen = () => sockets.add(socket);
  socket.onclose = () => sockets.delete(socket);
  socket.onmessage = (event) => {
    for (const peer of sockets) if (peer.readyState === WebSocket.OPEN) peer.send(event.data);
  };
  return response;
});
