const s = require('@cloud-copilot/iam-simulate');
const p = require('@cloud-copilot/iam-policy');
const trust = {Version:'2012-10-17',Statement:[{Effect:'Allow',Principal:{Federated:'arn:aws:iam::111111111111:oidc-provider/gitlab.com'},Action:'sts:AssumeRoleWithWebIdentity',Condition:{StringEquals:{'gitlab.com:aud':'https://gitlab.com','gitlab.com:sub':'project_path:a/b:ref_type:branch:ref:main','gitlab.com:pipeline_source':'push'}}}]};
const mk = (ctx, rp) => ({request:{principal:'arn:aws:iam::111111111111:oidc-provider/gitlab.com',action:'sts:AssumeRoleWithWebIdentity',resource:{resource:'arn:aws:iam::111111111111:role/r',accountId:'111111111111'},contextVariables:ctx},identityPolicies:[],serviceControlPolicies:[],resourceControlPolicies:[],resourcePolicy:rp});
(async()=>{
 const ok={'gitlab.com:aud':'https://gitlab.com','gitlab.com:sub':'project_path:a/b:ref_type:branch:ref:main','gitlab.com:pipeline_source':'push'};
 let r = await s.runSimulation(mk(ok,trust),{}); console.log(r.overallResult, r.result.ignoredContextKeys);
 const v = p.createValidatedPolicy(trust, p.validateResourcePolicy, {name:'trust'}); console.log('errors', v.errors);
 r = s.runUnsafeSimulation(mk(ok,v),{}); console.log("unsafe", JSON.stringify(r).slice(0,300));
 r = s.runUnsafeSimulation(mk({...ok,'gitlab.com:pipeline_source':'merge_request_event'},v),{}); console.log('unsafe bad', r.result);
 // same-account role with identity policy and bucket policy
 const bucket = {Version:'2012-10-17',Statement:[{Effect:'Allow',Principal:{AWS:'arn:aws:iam::111111111111:role/r'},Action:'s3:GetObject',Resource:'arn:aws:s3:::b/dev/*'}]};
 const sim = {request:{principal:'arn:aws:sts::111111111111:assumed-role/r/s',action:'s3:GetObject',resource:{resource:'arn:aws:s3:::b/dev/x.tfstate',accountId:'111111111111'},contextVariables:{'aws:SecureTransport':'true'}},identityPolicies:[],serviceControlPolicies:[],resourceControlPolicies:[],resourcePolicy:bucket};
 r = await s.runSimulation(sim,{}); console.log('s3', r.resultType, r.overallResult, r.errors, r.result?.ignoredContextKeys);
 sim.request.action='kms:Decrypt'; sim.request.resource.resource='arn:aws:kms:eu-west-1:111111111111:key/abc';
 r = await s.runSimulation(sim,{}); console.log('kms', r.resultType, r.overallResult, r.errors);
})();
